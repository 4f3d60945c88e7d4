package org.datasandbox.core.policy;

import java.math.BigDecimal;
import java.util.Objects;
import org.datasandbox.dp.DpPreconditions;
import org.datasandbox.guard.catalog.ContributionBounds;

/**
 * A DP-mode scenario's per-query parameters: what one query may spend ({@code epsilon}, and {@code delta} for
 * partition selection) and how much one privacy unit may contribute to it (L0 groups, Linf rows per group).
 * Every query's spend is charged to the scenario's lifetime {@code budget}; {@code noise} says which mechanism
 * noises its values.
 */
public record DpOutput(BigDecimal epsilon, double delta, ContributionBounds bounds, NoiseChoice noise) {
    /**
     * What a DP scenario that states nothing gets: epsilon 1 and delta 1e-6 per query, one group and one row per
     * unit, the mechanism with the smaller noise per query.
     */
    public static final DpOutput DEFAULT = new DpOutput(BigDecimal.ONE, 1e-6, ContributionBounds.DEFAULT);

    /** The parameters with the default choice of mechanism. */
    public DpOutput(BigDecimal epsilon, double delta, ContributionBounds bounds) {
        this(epsilon, delta, bounds, NoiseChoice.AUTO);
    }

    public DpOutput {
        DpPreconditions.checkEpsilon(epsilon);
        if (!(delta >= 0 && delta < 1)) {
            throw new IllegalArgumentException("delta must be in [0, 1). Provided value: " + delta);
        }
        Objects.requireNonNull(bounds, "bounds");
        Objects.requireNonNull(noise, "noise");
        if (noise == NoiseChoice.GAUSSIAN && delta == 0) {
            throw new IllegalArgumentException("the Gaussian mechanism needs delta > 0");
        }
    }
}
