package org.datasandbox.dp.aggregation;

import org.datasandbox.dp.DpPreconditions;
import org.datasandbox.dp.calibration.DiscreteGaussianPrivacy;
import org.datasandbox.dp.calibration.Normal;
import org.datasandbox.dp.noise.DiscreteLaplace;

/**
 * Thresholded partition selection (Korolova et al., "Releasing Search Queries and Clicks Privately",
 * WWW 2009; Wilson et al., "Differentially Private SQL with Bounded User Contribution", 2020): a key whose
 * noisy count of privacy units is below the threshold is not released.
 *
 * <p>The rule: a unit that alone makes up to {@code m} keys (count 1 each, absent without it) must make
 * any of them appear with probability at most delta, i.e. {@code 1 - (1 - P(1 + X >= tau))^m <= delta},
 * computed for the noise X actually sampled. For the discrete Laplace {@code P(X >= j) = q^j / (1 + q)}
 * with {@code q = exp(-1/b)}, up to twice the continuous {@code exp(-j/b) / 2} that the textbook threshold
 * {@code m + b ln(m / (2 delta))} assumes; for the discrete Gaussian the tail is summed from its mass
 * function. The threshold is the smallest integer that meets delta, and {@link #laplaceDelta} and
 * {@link #gaussianDelta} give the exact delta of any threshold.
 */
public final class PartitionSelection {
    private PartitionSelection() {
    }

    /** The smallest threshold meeting delta for discrete Laplace noise of this scale. */
    public static long threshold(double scale, long maxContributions, double delta) {
        return laplaceThreshold(scale, maxContributions, delta);
    }

    public static long laplaceThreshold(double scale, long maxContributions, double delta) {
        DpPreconditions.checkPositive(scale, "scale");
        double q = Math.exp(-1 / scale);
        double perKey = perKeyProbability(maxContributions, delta);
        // P(X >= j) = q^j / (1 + q) <= perKey  <=>  j >= ln(perKey (1 + q)) / ln q
        long j = Math.max(1, (long) Math.ceil(Math.log(perKey * (1 + q)) / Math.log(q)));
        while (j > 1 && DiscreteLaplace.upperTail(q, j - 1) <= perKey) {
            j--;
        }
        while (DiscreteLaplace.upperTail(q, j) > perKey) {
            j++;
        }
        return j + 1;
    }

    /** The exact delta of a threshold under discrete Laplace noise of this scale. */
    public static double laplaceDelta(double scale, long maxContributions, long threshold) {
        DpPreconditions.checkPositive(scale, "scale");
        DpPreconditions.checkPositive(maxContributions, "maxContributions");
        double perKey = DiscreteLaplace.upperTail(Math.exp(-1 / scale), threshold - 1);
        return anyOf(perKey, maxContributions);
    }

    /** The smallest threshold meeting delta for discrete Gaussian noise sigma. */
    public static long gaussianThreshold(double sigma, long maxContributions, double delta) {
        DpPreconditions.checkPositive(sigma, "sigma");
        double perKey = perKeyProbability(maxContributions, delta);
        long lo = 1;
        long hi = 2;
        while (gaussianTail(sigma, hi) > perKey) {
            hi *= 2;
        }
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (gaussianTail(sigma, mid) <= perKey) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo + 1;
    }

    /** The delta of a threshold under discrete Gaussian noise sigma: exact up to sigma 1e5, an upper bound above. */
    public static double gaussianDelta(double sigma, long maxContributions, long threshold) {
        DpPreconditions.checkPositive(sigma, "sigma");
        DpPreconditions.checkPositive(maxContributions, "maxContributions");
        return anyOf(gaussianTail(sigma, threshold - 1), maxContributions);
    }

    /** {@code P(X >= j)}; above the exact limit, the integral from j - 1, which is larger. */
    private static double gaussianTail(double sigma, long j) {
        if (sigma <= DiscreteGaussianPrivacy.EXACT_SIGMA_LIMIT) {
            return DiscreteGaussianPrivacy.upperTail(sigma, j - 1);
        }
        return Normal.upperTail((j - 1) / sigma);
    }

    /** The per-key probability p with {@code 1 - (1 - p)^m = delta}. */
    private static double perKeyProbability(long maxContributions, double delta) {
        DpPreconditions.checkPositive(maxContributions, "maxContributions");
        DpPreconditions.checkDelta(delta);
        return -Math.expm1(Math.log1p(-delta) / maxContributions);
    }

    private static double anyOf(double perKey, long keys) {
        return -Math.expm1(keys * Math.log1p(-Math.min(perKey, 1)));
    }
}
