package org.datasandbox.dp.accounting;

import java.util.Objects;

/**
 * The remaining-budget view of a table: the lifetime cap, what is spent (as epsilon at the cap's delta,
 * and both composed statements), and what is left, as the largest next pure-epsilon release and the
 * largest next zCDP rho.
 */
public record BudgetStatus(BudgetKey key, LifetimeBudget lifetime, Composition spent, double spentEpsilon,
        double remainingEpsilon, double remainingRho) {
    public BudgetStatus {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(lifetime, "lifetime");
        Objects.requireNonNull(spent, "spent");
    }

    public static BudgetStatus of(BudgetKey key, LifetimeBudget lifetime, Composition spent) {
        return new BudgetStatus(key, lifetime, spent, spent.epsilonAt(lifetime), spent.remainingPureEpsilon(lifetime),
                spent.remainingRho(lifetime));
    }
}
