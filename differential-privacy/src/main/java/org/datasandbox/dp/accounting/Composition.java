package org.datasandbox.dp.accounting;

import java.util.Objects;

/**
 * Everything a table has spent, composed two ways at once, and the better one counts (both hold, for
 * adaptive sequences; a guarantee that holds twice holds by the better):
 * <ul>
 *   <li><b>zCDP</b> (Bun and Steinke 2016): rho adds up across Gaussian and Laplace releases alike
 *   (pure epsilon counts as {@code epsilon^2 / 2}); the approximate deltas of thresholded selections add
 *   up beside it; at the end rho converts to epsilon at what remains of the delta cap, with the tight
 *   conversion of Canonne, Kamath and Steinke ({@link ZcdpConversion}). This is what makes many queries
 *   affordable: epsilon then grows like the square root of their number.</li>
 *   <li><b>basic composition</b>: epsilons and deltas add up. Better for a handful of pure-DP releases,
 *   where zCDP's conversion costs more than it saves.</li>
 * </ul>
 */
public record Composition(PrivacyLoss total, int charges) {
    /** Spends may round: a total within this relative margin of the cap still fits. */
    private static final double ROUNDING = 1e-12;

    public Composition {
        Objects.requireNonNull(total, "total");
        if (charges < 0) {
            throw new IllegalArgumentException("charges must be >= 0. Provided value: " + charges);
        }
    }

    public static final Composition EMPTY = new Composition(PrivacyLoss.NONE, 0);

    public Composition plus(PrivacyLoss loss) {
        return new Composition(total.plus(loss), charges + 1);
    }

    /** The epsilon spent at the lifetime's delta, by the better accounting; infinite when neither fits delta. */
    public double epsilonAt(LifetimeBudget lifetime) {
        if (charges == 0) {
            return 0;
        }
        double basic = total.delta() <= lifetime.delta() * (1 + ROUNDING) ? total.epsilon() : Double.POSITIVE_INFINITY;
        double deltaLeft = lifetime.delta() - total.zcdpDelta();
        double zcdp = deltaLeft > 0 ? ZcdpConversion.epsilon(total.rho(), deltaLeft) : Double.POSITIVE_INFINITY;
        return Math.min(basic, zcdp);
    }

    public boolean fits(LifetimeBudget lifetime) {
        return epsilonAt(lifetime) <= lifetime.epsilon() * (1 + ROUNDING);
    }

    /**
     * The largest pure epsilon (one more Laplace release) that would still fit; 0 when none does: under
     * basic composition what is left of epsilon, under zCDP {@code sqrt(2 (rhoMax - rho))}, the larger.
     */
    public double remainingPureEpsilon(LifetimeBudget lifetime) {
        if (!fits(lifetime)) {
            return 0;
        }
        double basic = total.delta() <= lifetime.delta() * (1 + ROUNDING) ? Math.max(0, lifetime.epsilon() - total.epsilon()) : 0;
        double zcdp = Math.sqrt(2 * remainingRho(lifetime));
        return Math.min(lifetime.epsilon(), Math.max(basic, zcdp));
    }

    /** The largest rho (one more Gaussian release, no delta of its own) that would still fit. */
    public double remainingRho(LifetimeBudget lifetime) {
        double deltaLeft = lifetime.delta() - total.zcdpDelta();
        if (deltaLeft <= 0) {
            return 0;
        }
        return Math.max(0, ZcdpConversion.maxRho(lifetime.epsilon(), deltaLeft) - total.rho());
    }
}
