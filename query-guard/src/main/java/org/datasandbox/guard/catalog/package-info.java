/**
 * The guard's catalog and policy SPI: tables, columns with privacy roles, join keys and scenarios.
 * The runtime implements {@link org.datasandbox.guard.catalog.GuardCatalog}; values are immutable records.
 */
package org.datasandbox.guard.catalog;
