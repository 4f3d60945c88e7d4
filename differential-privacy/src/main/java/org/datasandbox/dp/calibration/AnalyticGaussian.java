package org.datasandbox.dp.calibration;

import org.datasandbox.dp.DpPreconditions;

/**
 * The analytic Gaussian mechanism (Balle and Wang, "Improving the Gaussian Mechanism for Differential
 * Privacy: Analytical Calibration and Optimal Denoising", ICML 2018, Theorem 8): Gaussian noise of
 * standard deviation sigma on a query of L2 sensitivity Delta is (epsilon, delta)-DP if and only if
 * {@code Phi(Delta/(2 sigma) - epsilon sigma/Delta) - e^epsilon Phi(-Delta/(2 sigma) - epsilon sigma/Delta) <= delta}.
 * The smallest such sigma is found by bisection, which the exactness of the condition makes tight (the
 * classical {@code sqrt(2 ln(1.25/delta)) Delta/epsilon} is up to several times larger).
 */
public final class AnalyticGaussian {
    private AnalyticGaussian() {
    }

    /** The exact delta of continuous Gaussian noise sigma at this epsilon and L2 sensitivity. */
    public static double delta(double sigma, double epsilon, double l2Sensitivity) {
        double a = l2Sensitivity / (2 * sigma);
        double b = epsilon * sigma / l2Sensitivity;
        double value = Normal.cdf(a - b) - Math.exp(epsilon) * Normal.cdf(-a - b);
        return Math.max(0, value);
    }

    /** The smallest sigma (to a relative 1e-12, rounded up) whose delta is at most {@code delta}. */
    public static double sigma(double epsilon, double delta, double l2Sensitivity) {
        DpPreconditions.checkEpsilon(epsilon);
        DpPreconditions.checkDelta(delta);
        DpPreconditions.checkSensitivity(l2Sensitivity);
        double hi = l2Sensitivity;
        while (delta(hi, epsilon, l2Sensitivity) > delta) {
            hi *= 2;
        }
        double lo = hi / 2;
        while (lo > 1e-12 * l2Sensitivity && delta(lo, epsilon, l2Sensitivity) <= delta) {
            lo /= 2;
        }
        for (int i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
            double mid = (lo + hi) / 2;
            if (delta(mid, epsilon, l2Sensitivity) <= delta) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }
}
