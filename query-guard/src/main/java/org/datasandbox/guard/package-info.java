/**
 * The query guard: every job's SQL passes through {@link org.datasandbox.guard.QueryGuard} before Spark
 * sees anything. One package per pipeline stage: {@code parse} (Calcite with Spark SQL conventions),
 * {@code validate} (against the scenario's granted tables and columns only), {@code analyze} (lineage and
 * granularity on the relational plan), {@code check} (one rule per class), {@code rewrite} (k-threshold),
 * {@code unparse} (back to Spark SQL) and {@code explain} (decisions with rule ids and positions).
 * {@code catalog} is the SPI the runtime implements; nothing here depends on Spark.
 */
package org.datasandbox.guard;
