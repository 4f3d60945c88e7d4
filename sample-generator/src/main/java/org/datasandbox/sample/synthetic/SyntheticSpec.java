package org.datasandbox.sample.synthetic;

import java.math.BigDecimal;
import java.util.Objects;
import org.datasandbox.dp.DpPreconditions;

/**
 * What a synthetic sample spends and how large it is.
 *
 * @param epsilon the whole privacy budget of one table's model
 * @param delta of the whole model: spent only on releasing categories seen in the data (partition
 *     selection), shared equally by the category columns without a public domain
 * @param maxCategories groups of cells per column in the 2-way tables of the dependency tree ("no value"
 *     and rare cells included): more keeps finer dependencies, fewer keeps each cell above the noise
 * @param maxRowsPerUnit for a table linked to another one's privacy units: rows per unit are modelled
 *     up to this many (more are clamped)
 */
public record SyntheticSpec(BigDecimal epsilon, double delta, int maxCategories, int maxRowsPerUnit) implements java.io.Serializable {

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
