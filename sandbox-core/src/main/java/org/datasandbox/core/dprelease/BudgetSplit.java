package org.datasandbox.core.dprelease;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Objects;
import org.datasandbox.core.policy.NoiseChoice;
import org.datasandbox.dp.accounting.PrivacyLoss;
import org.datasandbox.dp.accounting.ZcdpConversion;
import org.datasandbox.dp.noise.Mechanism;
import org.datasandbox.dp.noise.Noise;
import org.datasandbox.dp.noise.RandomSource;
import org.datasandbox.guard.dp.DpQuery;

/**
 * How one query's epsilon and delta are shared between its parts: each released value (a mean is one value,
 * itself split in half between its count and its sum) and, when some group key comes from the data, partition
 * selection (a noisy distinct-unit count against a threshold, always with the discrete Laplace). Two ways:
 * <ul>
 *   <li><b>Laplace</b>: epsilon in equal parts, all of delta to partition selection; by basic composition the
 *   release is {@code (epsilon, delta)}-DP. A query whose groups are all public spends no delta.</li>
 *   <li><b>Gaussian</b>: the parts are composed in zero-concentrated DP. Half of delta goes to partition
 *   selection (none when the groups are public), the rest converts: the query's zCDP budget is the largest
 *   {@code rho} that converts to {@code epsilon} at that delta (Canonne, Kamath and Steinke), shared equally
 *   between the parts; each value gets discrete Gaussian noise of that rho, selection the pure epsilon
 *   {@code sqrt(2 rho)} (a pure epsilon is {@code epsilon^2 / 2}-zCDP). The release is then
 *   {@code (rho, selection delta)}-approximate zCDP, hence {@code (epsilon, delta)}-DP.</li>
 * </ul>
 * Which one: the scenario's {@code mechanism}; by default ({@code auto}) the one whose noise on a value is smaller
 * for this query, a choice made from public parameters only. The Gaussian wins when a query has many values or a
 * unit may touch many groups (its noise grows with their square root, the Laplace's linearly), the Laplace for a
 * value or two; without delta only the Laplace is possible.
 *
 * <p>Laplace parts are rounded down to 6 significant digits, so that they add up to at most the query's epsilon
 * and their exact Laplace scales stay small rationals.
 *
 * @param mechanism the noise of the values
 * @param valueEpsilon the epsilon of each released value (Laplace), or the epsilon its rho converts to at
 *                     {@code statedDelta} (Gaussian: informative, the noise is calibrated to rho)
 * @param valueRho the zCDP budget of each released value (Gaussian), 0 for the Laplace
 * @param statedDelta the delta at which a Gaussian value's rho is stated as (epsilon, delta); 0 for the Laplace
 * @param selectionEpsilon the epsilon of the noisy distinct-unit count that selects groups (0 when none)
 * @param selectionDelta the delta of partition selection (0 when none)
 * @param charged what the whole release is charged
 */
public record BudgetSplit(Mechanism mechanism, BigDecimal valueEpsilon, double valueRho, double statedDelta,
                          BigDecimal selectionEpsilon, double selectionDelta, PrivacyLoss charged) {
    private static final MathContext PARTS = new MathContext(6, RoundingMode.DOWN);

    public BudgetSplit {
        Objects.requireNonNull(mechanism, "mechanism");
        Objects.requireNonNull(valueEpsilon, "valueEpsilon");
        Objects.requireNonNull(selectionEpsilon, "selectionEpsilon");
        Objects.requireNonNull(charged, "charged");
        if (mechanism == Mechanism.DISCRETE_GAUSSIAN && !(valueRho > 0 && statedDelta > 0)) {
            throw new IllegalArgumentException("a Gaussian split needs rho > 0 and a delta to state it at");
        }
    }

    public static BudgetSplit of(DpQuery query, QueryBudget budget) {
        boolean selects = !query.groupsArePublic();
        if (selects && !(budget.delta() > 0)) {
            throw new IllegalArgumentException("a query whose groups come from the data needs delta > 0 for partition "
                    + "selection");
        }
        int parts = query.aggregates().size() + (selects ? 1 : 0);
        return switch (budget.noise()) {
            case LAPLACE -> laplace(budget, parts, selects);
            case GAUSSIAN -> {
                if (!(budget.delta() > 0)) {
                    throw new IllegalArgumentException("the Gaussian mechanism needs delta > 0");
                }
                yield gaussian(budget, parts, selects);
            }
            case AUTO -> budget.delta() > 0 ? smaller(budget, parts, selects) : laplace(budget, parts, selects);
        };
    }

    private static BudgetSplit laplace(QueryBudget budget, int parts, boolean selects) {
        BigDecimal part = budget.epsilon().divide(BigDecimal.valueOf(parts), PARTS).stripTrailingZeros();
        if (!selects) {
            return new BudgetSplit(Mechanism.DISCRETE_LAPLACE, part, 0, 0, BigDecimal.ZERO, 0,
                    PrivacyLoss.pure(budget.epsilon().doubleValue()));
        }
        return new BudgetSplit(Mechanism.DISCRETE_LAPLACE, part, 0, 0, part, budget.delta(),
                PrivacyLoss.thresholded(budget.epsilon().doubleValue(), budget.delta()));
    }

    private static BudgetSplit gaussian(QueryBudget budget, int parts, boolean selects) {
        double selectionDelta = selects ? budget.delta() / 2 : 0;
        double conversionDelta = budget.delta() - selectionDelta;
        double epsilon = budget.epsilon().doubleValue();
        double rho = ZcdpConversion.maxRho(epsilon, conversionDelta);
        double part = rho / parts * (1 - 1e-12); // never more than rho in sum, whatever the rounding
        BigDecimal selectionEpsilon = selects ? ZcdpConversion.pureEpsilon(part) : BigDecimal.ZERO;
        BigDecimal valueEpsilon = BigDecimal.valueOf(ZcdpConversion.epsilon(part, conversionDelta)).round(PARTS);
        return new BudgetSplit(Mechanism.DISCRETE_GAUSSIAN, valueEpsilon, part, conversionDelta, selectionEpsilon,
                selectionDelta, new PrivacyLoss(epsilon, budget.delta(), rho, selectionDelta));
    }

    /** The split whose noise on one count is smaller; calibrations only, no draw, from public parameters. */
    private static BudgetSplit smaller(QueryBudget budget, int parts, boolean selects) {
        BudgetSplit laplace = laplace(budget, parts, selects);
        BudgetSplit gaussian = gaussian(budget, parts, selects);
        long l0 = budget.bounds().maxGroupsPerUnit();
        long linf = budget.bounds().maxRowsPerUnitPerGroup();
        RandomSource unused = RandomSource.seeded(0);
        double laplaceVariance = Noise.laplace(unused).calibrate(l0, linf, laplace.valueEpsilon(), 0).variance();
        double gaussianVariance = Noise.gaussian(unused).calibrateZcdp(l0, linf, gaussian.valueRho(),
                gaussian.statedDelta()).variance();
        return gaussianVariance < laplaceVariance ? gaussian : laplace;
    }

    public boolean selects() {
        return selectionEpsilon.signum() > 0;
    }

    /** What the scenario's choice became for this query. */
    public NoiseChoice choice() {
        return mechanism == Mechanism.DISCRETE_GAUSSIAN ? NoiseChoice.GAUSSIAN : NoiseChoice.LAPLACE;
    }
}
