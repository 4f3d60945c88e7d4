/**
 * Shared JMH settings. Benchmarks live in the packages of the code they measure and extend
 * {@link org.datasandbox.bench.BenchmarkBase}; each one measures its subject and a baseline side by side in
 * one run, so that results are read as ratios on this shared, noisy hardware.
 */
package org.datasandbox.bench;
