/**
 * DP mode: the guard's plan for a noisy release. {@link org.datasandbox.guard.dp.DpRewrite} rewrites an allowed
 * query into Spark SQL that carries each row's privacy unit ({@code UnitCarrier}), clamps each aggregated value
 * ({@code MeasureBounds}), bounds each unit's contribution (at most L0 groups, Linf rows' worth per group, by
 * aggregation: {@code ContributionBounding}) and returns,
 * per group, the bounded partial aggregates ({@link org.datasandbox.guard.dp.DpQuery}); the sandbox adds the
 * noise after execution, selects partitions and charges the budget. Nothing here draws noise; the only
 * randomness is the secret salts of the keyed hash that chooses which groups beyond L0 a unit drops.
 */
package org.datasandbox.guard.dp;
