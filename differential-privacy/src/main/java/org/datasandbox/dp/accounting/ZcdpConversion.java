package org.datasandbox.dp.accounting;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
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

    /**
     * The largest rho whose conversion at {@code delta} stays within {@code epsilon}: the conversion is
     * an infimum over alpha, so rho fits when some alpha gives {@code alpha rho + c(alpha) <= epsilon}, i.e.
     * {@code rho_max = max over alpha of (epsilon - c(alpha)) / alpha}; Bun-Steinke's
     * {@code (sqrt(ln(1/delta) + epsilon) - sqrt(ln(1/delta)))^2} when that is larger.
     */
    public static double maxRho(double epsilon, double delta) {
        DpPreconditions.checkPositive(epsilon, "epsilon");
        DpPreconditions.checkDelta(delta);
        double logInverseDelta = Math.log(1 / delta);
        double bunSteinke = Math.pow(Math.sqrt(logInverseDelta + epsilon) - Math.sqrt(logInverseDelta), 2);
        double bestX = 0;
        double best = Double.NEGATIVE_INFINITY;
        for (double x = -12; x <= 16; x += 0.25) {
            double value = rhoAt(1 + Math.exp(x), epsilon, logInverseDelta);
            if (value > best) {
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
            if (rhoAt(1 + Math.exp(c), epsilon, logInverseDelta) > rhoAt(1 + Math.exp(d), epsilon, logInverseDelta)) {
                b = d;
            } else {
                a = c;
            }
        }
        best = Math.max(best, rhoAt(1 + Math.exp((a + b) / 2), epsilon, logInverseDelta));
        // shave the last ulps so that epsilon(maxRho) never exceeds epsilon through rounding
        return Math.max(0, Math.max(best, bunSteinke) * (1 - 1e-12));
    }

    /**
     * The largest epsilon of at most 6 significant digits whose pure epsilon-DP fits in {@code rho}-zCDP
     * ({@code epsilon^2 / 2 <= rho}, Bun and Steinke, Proposition 1.4): a Laplace release inside a zCDP budget.
     */
    public static BigDecimal pureEpsilon(double rho) {
        DpPreconditions.checkPositive(rho, "rho");
        BigDecimal epsilon = new BigDecimal(Math.sqrt(2 * rho)).round(new MathContext(6, RoundingMode.DOWN));
        while (epsilon.doubleValue() * epsilon.doubleValue() / 2 > rho) {
            epsilon = epsilon.subtract(epsilon.ulp());
        }
        return epsilon.stripTrailingZeros();
    }

    private static double rhoAt(double alpha, double epsilon, double logInverseDelta) {
        return (epsilon - (logInverseDelta + (alpha - 1) * Math.log1p(-1 / alpha) - Math.log(alpha)) / (alpha - 1)) / alpha;
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
