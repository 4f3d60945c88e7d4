package org.datasandbox.core.dprelease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.datasandbox.core.policy.NoiseChoice;
import org.datasandbox.dp.accounting.Composition;
import org.datasandbox.dp.accounting.LifetimeBudget;
import org.datasandbox.dp.accounting.ZcdpConversion;
import org.datasandbox.dp.noise.Mechanism;
import org.datasandbox.guard.catalog.ContributionBounds;
import org.datasandbox.guard.dp.DpAggregate;
import org.datasandbox.guard.dp.DpQuery;
import org.junit.jupiter.api.Test;

/** How a query's (epsilon, delta) is shared, both ways, and which way the default takes. */
class BudgetSplitTest {
    private static final DpAggregate COUNT = new DpAggregate("n", DpAggregate.Kind.COUNT, Double.NaN, 0, 1, List.of("n"));

    private static DpQuery counts(int values, boolean publicGroups, ContributionBounds bounds) {
        return new DpQuery("SELECT 1", List.of("district"), Collections.nCopies(values, COUNT), "units", bounds,
                publicGroups ? Map.of("district", List.of("north")) : Map.of());
    }

    private static QueryBudget budget(double epsilon, double delta, ContributionBounds bounds, NoiseChoice noise) {
        return new QueryBudget(BigDecimal.valueOf(epsilon), delta, bounds, QueryBudget.DEFAULT_CONFIDENCE, noise);
    }

    @Test
    void gaussian_partsComposedInZcdp_convertToAtMostTheQueryEpsilonAndDelta() {
        for (int values = 1; values <= 8; values++) {
            for (boolean publicGroups : List.of(true, false)) {
                BudgetSplit split = BudgetSplit.of(counts(values, publicGroups, ContributionBounds.DEFAULT),
                        budget(0.5, 1e-6, ContributionBounds.DEFAULT, NoiseChoice.GAUSSIAN));
                double selectionRho = split.selectionEpsilon().doubleValue() * split.selectionEpsilon().doubleValue() / 2;
                double parts = values * split.valueRho() + selectionRho;

                assertThat(split.mechanism()).isEqualTo(Mechanism.DISCRETE_GAUSSIAN);
                assertThat(parts).isLessThanOrEqualTo(split.charged().rho());
                // the parts' rho converts, at the delta selection leaves, to the query's epsilon at most
                double deltaLeft = 1e-6 - split.selectionDelta();
                assertThat(ZcdpConversion.epsilon(parts, deltaLeft)).isLessThanOrEqualTo(0.5);
                assertThat(split.selectionDelta()).isEqualTo(publicGroups ? 0 : 5e-7);
                // one query fits a lifetime budget equal to it, whichever accounting counts
                assertThat(Composition.EMPTY.plus(split.charged()).fits(new LifetimeBudget(0.5, 1e-6))).isTrue();
            }
        }
    }

    @Test
    void laplace_epsilonInEqualParts_deltaToSelectionOnly() {
        BudgetSplit split = BudgetSplit.of(counts(3, false, ContributionBounds.DEFAULT),
                budget(1, 1e-6, ContributionBounds.DEFAULT, NoiseChoice.LAPLACE));

        assertThat(split.mechanism()).isEqualTo(Mechanism.DISCRETE_LAPLACE);
        assertThat(split.valueEpsilon()).isEqualTo(new BigDecimal("0.25"));
        assertThat(split.selectionDelta()).isEqualTo(1e-6);
        assertThat(split.valueRho()).isZero();
    }

    @Test
    void auto_oneValue_choosesLaplace() {
        assertThat(BudgetSplit.of(counts(1, true, ContributionBounds.DEFAULT),
                budget(1, 1e-6, ContributionBounds.DEFAULT, NoiseChoice.AUTO)).mechanism())
                .isEqualTo(Mechanism.DISCRETE_LAPLACE);
    }

    @Test
    void auto_manyValuesOrManyGroupsPerUnit_choosesGaussian() {
        assertThat(BudgetSplit.of(counts(30, true, ContributionBounds.DEFAULT),
                budget(1, 1e-6, ContributionBounds.DEFAULT, NoiseChoice.AUTO)).mechanism())
                .isEqualTo(Mechanism.DISCRETE_GAUSSIAN);
        ContributionBounds wide = new ContributionBounds(100, 1);
        assertThat(BudgetSplit.of(counts(1, false, wide), budget(1, 1e-6, wide, NoiseChoice.AUTO)).mechanism())
                .isEqualTo(Mechanism.DISCRETE_GAUSSIAN);
    }

    @Test
    void auto_noDelta_choosesLaplace() {
        assertThat(BudgetSplit.of(counts(30, true, ContributionBounds.DEFAULT),
                budget(1, 0, ContributionBounds.DEFAULT, NoiseChoice.AUTO)).mechanism())
                .isEqualTo(Mechanism.DISCRETE_LAPLACE);
    }

    @Test
    void gaussian_noDelta_isRefused() {
        assertThatThrownBy(() -> BudgetSplit.of(counts(2, true, ContributionBounds.DEFAULT),
                budget(1, 0, ContributionBounds.DEFAULT, NoiseChoice.GAUSSIAN)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("delta > 0");
    }
}
