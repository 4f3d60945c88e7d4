/** Benchmarks of the guard's DP rewrite: the bounded SQL against the same exact GROUP BY on Spark. */
package org.datasandbox.guard.dp;
