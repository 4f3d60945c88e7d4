package org.datasandbox.core.dprelease;

import java.math.BigDecimal;
import java.util.Objects;
import org.datasandbox.core.policy.NoiseChoice;
import org.datasandbox.dp.DpPreconditions;
import org.datasandbox.guard.catalog.ContributionBounds;

/**
 * What one DP query of a scenario may spend and how much one privacy unit may contribute to it: the scenario's
 * per-query {@code epsilon} and {@code delta} (delta pays for partition selection and, with the Gaussian, for the
 * values), its contribution bounds and its choice of mechanism.
 *
 * @param epsilon the per-query epsilon, as the exact decimal the policy wrote
 * @param delta the per-query delta
 * @param bounds L0 and Linf, which the guard's SQL enforces and every sensitivity is computed from
 * @param confidence the confidence of every released interval
 * @param noise the mechanism the scenario asks for ({@link NoiseChoice#AUTO}: the smaller noise per query)
 */
public record QueryBudget(BigDecimal epsilon, double delta, ContributionBounds bounds, double confidence,
                          NoiseChoice noise) {

    public static final double DEFAULT_CONFIDENCE = 0.95;

    public QueryBudget {
        DpPreconditions.checkEpsilon(epsilon);
        if (!(delta >= 0 && delta < 1)) {
            throw new IllegalArgumentException("delta must be in [0, 1). Provided value: " + delta);
        }
        Objects.requireNonNull(bounds, "bounds");
        DpPreconditions.checkAlpha(1 - confidence);
        Objects.requireNonNull(noise, "noise");
    }

    /** Laplace noise, as every release had before the Gaussian. */
    public QueryBudget(BigDecimal epsilon, double delta, ContributionBounds bounds, double confidence) {
        this(epsilon, delta, bounds, confidence, NoiseChoice.LAPLACE);
    }

    public static QueryBudget of(double epsilon, double delta, ContributionBounds bounds) {
        return new QueryBudget(BigDecimal.valueOf(epsilon), delta, bounds, DEFAULT_CONFIDENCE);
    }

    public QueryBudget withNoise(NoiseChoice choice) {
        return new QueryBudget(epsilon, delta, bounds, confidence, choice);
    }
}
