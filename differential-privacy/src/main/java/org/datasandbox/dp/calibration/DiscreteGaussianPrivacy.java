package org.datasandbox.dp.calibration;

import org.datasandbox.dp.DpPreconditions;

/**
 * The privacy of the discrete Gaussian itself, not of its continuous namesake (Canonne, Kamath and
 * Steinke 2020): it is {@code rho = Delta^2 / (2 sigma^2)}-zCDP for L2 sensitivity Delta (their Theorem 4,
 * the same as the continuous one), and for a scalar query with integer sensitivity Delta it is exactly
 * (epsilon, delta)-DP with {@code delta = P[X > epsilon sigma^2/Delta - Delta/2] - e^epsilon P[X > epsilon sigma^2/Delta + Delta/2]}
 * (their Theorem 7), X discrete Gaussian. The tails are summed term by term from the exact mass function.
 */
public final class DiscreteGaussianPrivacy {
    /** Above this sigma the exact sums are too long to be worth it; callers use the zCDP bound instead. */
    public static final double EXACT_SIGMA_LIMIT = 1e5;

    private DiscreteGaussianPrivacy() {
    }

    public static double rho(double sigma, double l2Sensitivity) {
        return l2Sensitivity * l2Sensitivity / (2 * sigma * sigma);
    }

    /** The exact delta at epsilon of one discrete Gaussian release with integer sensitivity Delta. */
    public static double delta(double sigma, long sensitivity, double epsilon) {
        DpPreconditions.checkPositive(sigma, "sigma");
        DpPreconditions.checkSensitivity(sensitivity);
        if (sigma > EXACT_SIGMA_LIMIT) {
            throw new IllegalArgumentException("sigma must be <= " + EXACT_SIGMA_LIMIT + " for the exact delta. Provided value: " + sigma);
        }
        double center = epsilon * sigma * sigma / sensitivity;
        double value = upperTail(sigma, center - sensitivity / 2.0) - Math.exp(epsilon) * upperTail(sigma, center + sensitivity / 2.0);
        return Math.max(0, value);
    }

    /**
     * An upper bound on {@link #delta} for any sigma >= 1, from continuous tails, for sigmas too large to
     * sum: with {@code a = epsilon sigma^2/Delta - Delta/2} and {@code b = a + Delta}, the sum over
     * {@code x > a} is at most the integral from {@code a - 1}, the sum over {@code x > b} at least the
     * integral from {@code b + 1}, and the normalizer lies between {@code sqrt(2 pi) sigma} and
     * {@code (1 + 1e-6) sqrt(2 pi) sigma} (Poisson summation: the excess is below {@code 3 exp(-2 pi^2 sigma^2)}).
     * At large sigma it exceeds the continuous Gaussian's delta only by a shift of one unit.
     */
    public static double deltaBound(double sigma, long sensitivity, double epsilon) {
        if (!(sigma >= 1) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("sigma must be >= 1 for the bound. Provided value: " + sigma);
        }
        DpPreconditions.checkSensitivity(sensitivity);
        double a = epsilon * sigma * sigma / sensitivity - sensitivity / 2.0;
        if (a < 1) {
            return 1;
        }
        double b = a + sensitivity;
        double value = Normal.upperTail((a - 1) / sigma) - Math.exp(epsilon) * Normal.upperTail((b + 1) / sigma) / (1 + 1e-6);
        return Math.min(1, Math.max(0, value));
    }

    /** {@code P[X > c]} for X discrete Gaussian with parameter sigma. */
    public static double upperTail(double sigma, double c) {
        double variance2 = 2 * sigma * sigma;
        long end = (long) Math.ceil(39 * sigma) + 2;
        double normalizer = 1;
        for (long x = 1; x <= end; x++) {
            normalizer += 2 * Math.exp(-(double) x * x / variance2);
        }
        long from = (long) Math.floor(c) + 1;
        if (from <= -end) {
            return 1;
        }
        double tail = 0;
        for (long x = end; x >= Math.max(from, -end); x--) {
            tail += Math.exp(-(double) x * x / variance2);
        }
        return Math.min(1, tail / normalizer);
    }
}
