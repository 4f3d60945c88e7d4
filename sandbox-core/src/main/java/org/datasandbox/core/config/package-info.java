/** Settings of one sandbox: data directory, Spark master, crypto profile, limits. */
package org.datasandbox.core.config;
