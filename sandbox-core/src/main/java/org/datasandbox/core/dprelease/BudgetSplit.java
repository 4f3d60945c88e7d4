package org.datasandbox.core.dprelease;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import org.datasandbox.dp.accounting.PrivacyLoss;
import org.datasandbox.guard.dp.DpQuery;

/**
 * How one query's epsilon and delta are shared: epsilon in equal parts between the released values (a mean is
 * one value, itself split in half between its count and its sum) and, when some group key comes from the data,
 * partition selection; all of delta goes to partition selection, since every value is noised with the discrete
 * Laplace (pure epsilon-DP). By sequential composition the release is then {@code (epsilon, delta)}-DP, which is
 * what is charged. A query whose groups are all public spends no delta at all.
 *
 * <p>Parts are rounded down to 6 significant digits, so that they add up to at most the query's epsilon and their
 * exact Laplace scales stay small rationals.
 *
 * @param valueEpsilon the epsilon of each released value
 * @param selectionEpsilon the epsilon of the noisy distinct-unit count that selects groups (0 when none)
 * @param selectionDelta the delta of partition selection (0 when none)
 * @param charged what the whole release is charged
 */
public record BudgetSplit(BigDecimal valueEpsilon, BigDecimal selectionEpsilon, double selectionDelta,
                          PrivacyLoss charged) {
    private static final MathContext PARTS = new MathContext(6, RoundingMode.DOWN);

    public static BudgetSplit of(DpQuery query, QueryBudget budget) {
        boolean selects = !query.groupsArePublic();
        int parts = query.aggregates().size() + (selects ? 1 : 0);
        BigDecimal part = budget.epsilon().divide(BigDecimal.valueOf(parts), PARTS).stripTrailingZeros();
        if (!selects) {
            return new BudgetSplit(part, BigDecimal.ZERO, 0, PrivacyLoss.pure(budget.epsilon().doubleValue()));
        }
        if (!(budget.delta() > 0)) {
            throw new IllegalArgumentException("a query whose groups come from the data needs delta > 0 for partition "
                    + "selection");
        }
        return new BudgetSplit(part, part, budget.delta(),
                PrivacyLoss.thresholded(budget.epsilon().doubleValue(), budget.delta()));
    }

    public boolean selects() {
        return selectionEpsilon.signum() > 0;
    }
}
