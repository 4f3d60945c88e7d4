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
 * <p>{@code aggregation}: single-use DP counts and histograms that spend an epsilon once.
 * Contribution bounding, partition selection and budget accounting come with DP output mode.
 */
package org.datasandbox.dp;
