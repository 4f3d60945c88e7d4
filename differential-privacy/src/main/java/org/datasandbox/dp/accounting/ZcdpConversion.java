package org.datasandbox.dp.accounting;

import org.datasandbox.dp.DpPreconditions;

/**
 * From rho-zCDP to (epsilon, delta)-DP with the tight bound of Canonne, Kamath and Steinke ("The Discrete
 * Gaussian for Differential Privacy", 2020, Corollary 13):
 * {@code epsilon = inf over alpha > 1 of alpha rho + (ln(1/delta) + (alpha - 1) ln(1 - 1/alpha) - ln alpha) / (alpha - 1)},
 * never worse than the bound of Bun and Steinke (2016, Proposition 1.3),
 * {@code rho + 2 sqrt(rho ln(1/delta))}; the smaller of the two is returned (both hold).
 */
public final class ZcdpConversion {
    private ZcdpConversion() {
    }

    /** The epsilon that rho-zCDP implies at this delta. */
    public static double epsilon(double rho, double delta) {
        DpPreconditions.checkDelta(delta);
        if (!(rho >= 0) || Double.isInfinite(rho)) {
            throw new IllegalArgumentException("rho must be >= 0 and finite. Provided value: " + rho);
        }
        if (rho == 0) {
            return 0;
        }
        double bunSteinke = rho + 2 * Math.sqrt(rho * Math.log(1 / delta));
        // below zero the bound only says that epsilon 0 already holds
        return Math.max(0, Math.min(bunSteinke, minimizeOverAlpha(rho, delta)));
    }

    /** The largest rho whose conversion at {@code delta} stays within {@code epsilon}. */
    public static double maxRho(double epsilon, double delta) {
        DpPreconditions.checkPositive(epsilon, "epsilon");
        DpPreconditions.checkDelta(delta);
        double lo = 0;
        double hi = epsilon; // epsilon(rho) >= rho, so rho = epsilon is always too much
        for (int i = 0; i < 200; i++) {
            double mid = (lo + hi) / 2;
            if (epsilon(mid, delta) <= epsilon) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static double bound(double alpha, double rho, double logInverseDelta) {
        return alpha * rho + (logInverseDelta + (alpha - 1) * Math.log1p(-1 / alpha) - Math.log(alpha)) / (alpha - 1);
    }

    /** A log grid over alpha - 1, then golden-section refinement around the best grid point. */
    private static double minimizeOverAlpha(double rho, double delta) {
        double logInverseDelta = Math.log(1 / delta);
        double bestX = 0;
        double best = Double.POSITIVE_INFINITY;
        for (double x = -12; x <= 16; x += 0.25) {
            double value = bound(1 + Math.exp(x), rho, logInverseDelta);
            if (value < best) {
                best = value;
                bestX = x;
            }
        }
        double a = bestX - 0.25;
        double b = bestX + 0.25;
        double ratio = (Math.sqrt(5) - 1) / 2;
        for (int i = 0; i < 80; i++) {
            double c = b - ratio * (b - a);
            double d = a + ratio * (b - a);
            if (bound(1 + Math.exp(c), rho, logInverseDelta) < bound(1 + Math.exp(d), rho, logInverseDelta)) {
                b = d;
            } else {
                a = c;
            }
        }
        return Math.min(best, bound(1 + Math.exp((a + b) / 2), rho, logInverseDelta));
    }
}
