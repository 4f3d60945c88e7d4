/**
 * Differential privacy for the sandbox. Google's differential-privacy Java library is not served by
 * the project's package registry, so this module implements the same published algorithms itself.
 *
 * <p>{@code noise}: an exact discrete Laplace sampler (Canonne, Kamath and Steinke, "The Discrete
 * Gaussian for Differential Privacy", NeurIPS 2020, Algorithms 1 and 2) built from Bernoulli draws on
 * integers only, so that no floating-point artefact can leak the true value (Mironov, "On Significance of
 * the Least Significant Bits for Differential Privacy", CCS 2012). Randomness comes from an injected
 * {@link org.datasandbox.dp.noise.RandomSource}, a {@link java.security.SecureRandom} in production.
 *
 * <p>{@code noise} also holds the exact discrete Gaussian (their Algorithm 3) and {@code Noise}, the
 * calibrated-noise factory every aggregation takes injected; {@code calibration} computes sigma and the
 * discrete distributions' own privacy; {@code aggregation} holds single-use DP counts, sums, means,
 * quantiles and histograms with contribution bounding, and partition selection; {@code accounting}
 * composes what releases spend (zCDP and basic composition) against a lifetime budget per scenario and
 * table, behind a store interface; {@code selection} is permute-and-flip.
 */
package org.datasandbox.dp;
