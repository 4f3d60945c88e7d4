/**
 * Development samples of registered tables: drawn by the sample generator from the originals, masked
 * per the table policy, stored encrypted, and registered as the tables of the samples session that dev
 * runs query. A new policy version invalidates the table's sample.
 */
package org.datasandbox.core.sample;
