package org.datasandbox.sample.synthetic;

import java.math.BigDecimal;
import java.util.Objects;
import org.datasandbox.dp.DpPreconditions;

/**
 * What a synthetic sample spends and how large it is.
 *
 * @param epsilon the whole privacy budget of one table's model
 * @param delta for releasing categories seen in the data (partition selection)
 * @param maxCategories coarse bins per column in the dependency model, null included
 * @param maxRowsPerUnit for a table linked to another one's privacy units: rows per unit are modelled
 *     up to this many (more are clamped)
 */
public record SyntheticSpec(BigDecimal epsilon, double delta, int maxCategories, int maxRowsPerUnit) {

    public SyntheticSpec {
        DpPreconditions.checkEpsilon(epsilon);
        if (!(delta > 0 && delta < 1e-3)) {
            throw new IllegalArgumentException("delta must be in (0, 0.001). Provided value: " + delta);
        }
        if (maxCategories < 3 || maxCategories > 64) {
            throw new IllegalArgumentException("maxCategories must be in [3, 64]. Provided value: " + maxCategories);
        }
        if (maxRowsPerUnit < 1 || maxRowsPerUnit > 1000) {
            throw new IllegalArgumentException("maxRowsPerUnit must be in [1, 1000]. Provided value: " + maxRowsPerUnit);
        }
        Objects.requireNonNull(epsilon);
    }

    public static SyntheticSpec withEpsilon(BigDecimal epsilon) {
        return new SyntheticSpec(epsilon, 1e-6, 12, 20);
    }
}
