/**
 * The dataset catalog: registered datasets with their schemas, and the strict CSV import that turns an
 * upload into typed rows or refuses it with a line number and a reason that quotes no value.
 */
package org.datasandbox.core.catalog;
