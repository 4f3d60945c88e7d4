package org.datasandbox.dp.calibration;

/**
 * The standard normal tail, to double precision over the whole range the calibrations use (a series
 * without cancellation below 2.5 and Lentz's continued fraction above), since the analytic Gaussian
 * subtracts tails of the order of delta.
 */
public final class Normal {
    private static final double SQRT2 = Math.sqrt(2);
    private static final double SQRT_PI = Math.sqrt(Math.PI);

    private Normal() {
    }

    /** {@code P(Z <= x)}. */
    public static double cdf(double x) {
        return x >= 0 ? 1 - 0.5 * erfc(x / SQRT2) : 0.5 * erfc(-x / SQRT2);
    }

    /** {@code P(Z > x)}, accurate also deep in the tail. */
    public static double upperTail(double x) {
        return x >= 0 ? 0.5 * erfc(x / SQRT2) : 1 - 0.5 * erfc(-x / SQRT2);
    }

    /** The complementary error function for {@code x >= 0}. */
    static double erfc(double x) {
        if (x < 0) {
            throw new IllegalArgumentException("x must be >= 0. Provided value: " + x);
        }
        if (x > 27) {
            return 0;
        }
        if (x < 2.5) {
            // erf(x) = 2/sqrt(pi) e^{-x^2} sum 2^n x^{2n+1} / (1*3*...*(2n+1)): positive terms only
            double term = x;
            double sum = x;
            for (int n = 1; n < 200 && term > sum * 1e-17; n++) {
                term *= 2 * x * x / (2 * n + 1);
                sum += term;
            }
            return 1 - 2 / SQRT_PI * Math.exp(-x * x) * sum;
        }
        // erfc(x) = e^{-x^2}/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), modified Lentz
        double tiny = 1e-300;
        double f = x;
        double c = x;
        double d = 0;
        for (int n = 1; n < 500; n++) {
            double a = n / 2.0;
            d = x + a * d;
            d = d == 0 ? tiny : d;
            c = x + a / c;
            c = c == 0 ? tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) {
                break;
            }
        }
        return Math.exp(-x * x) / SQRT_PI / f;
    }

    /** The smallest x with {@code P(Z > x) <= p}, by bisection on {@link #upperTail}, for p in (0, 1/2]. */
    public static double upperQuantile(double p) {
        if (!(p > 0 && p <= 0.5)) {
            throw new IllegalArgumentException("p must be in (0, 0.5]. Provided value: " + p);
        }
        double lo = 0;
        double hi = 40;
        for (int i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
            double mid = (lo + hi) / 2;
            if (upperTail(mid) <= p) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }
}
