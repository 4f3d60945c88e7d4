package org.datasandbox.core.dprelease;

import java.math.BigDecimal;
import java.util.Objects;
import org.datasandbox.dp.DpPreconditions;
import org.datasandbox.guard.catalog.ContributionBounds;

/**
 * What one DP query of a scenario may spend and how much one privacy unit may contribute to it: the scenario's
 * per-query {@code epsilon} and {@code delta} (delta pays only for partition selection, the values are pure
 * epsilon-DP) and its contribution bounds.
 *
 * @param epsilon the per-query epsilon, as the exact decimal the policy wrote
 * @param delta the per-query delta, spent by partition selection when some group key has no public domain
 * @param bounds L0 and Linf, which the guard's SQL enforces and every sensitivity is computed from
 * @param confidence the confidence of every released interval
 */
public record QueryBudget(BigDecimal epsilon, double delta, ContributionBounds bounds, double confidence) {

    public static final double DEFAULT_CONFIDENCE = 0.95;

    public QueryBudget {
        DpPreconditions.checkEpsilon(epsilon);
        if (!(delta >= 0 && delta < 1)) {
            throw new IllegalArgumentException("delta must be in [0, 1). Provided value: " + delta);
        }
        Objects.requireNonNull(bounds, "bounds");
        DpPreconditions.checkAlpha(1 - confidence);
    }

    public static QueryBudget of(double epsilon, double delta, ContributionBounds bounds) {
        return new QueryBudget(BigDecimal.valueOf(epsilon), delta, bounds, DEFAULT_CONFIDENCE);
    }
}
