/**
 * DP mode: the guard's plan for a noisy release. The guard rewrites an allowed query into Spark SQL that
 * bounds each privacy unit's contribution and returns, per group, the bounded partial aggregates
 * ({@link org.datasandbox.guard.dp.DpQuery}); the sandbox adds the noise after execution, selects
 * partitions and charges the budget. Nothing here draws noise.
 */
package org.datasandbox.guard.dp;
