package org.datasandbox.guard.dp;

import java.util.List;
import java.util.Objects;

/**
 * One released aggregate of a DP query and the columns of the rewritten SQL that hold its bounded partials.
 *
 * @param outputName the name the developer gave the value (the released column's name)
 * @param kind what is released
 * @param quantile the rank in [0, 1] for {@link Kind#QUANTILE} (0 = MIN, 0.5 = median, 1 = MAX); NaN otherwise
 * @param lower the clamping lower bound of the value (0 for counts)
 * @param upper the clamping upper bound of the value (1 for counts)
 * @param partialColumns the SQL's columns holding the partials: COUNT and COUNT_DISTINCT_UNITS one count, SUM one
 *                       clamped sum, MEAN a clamped sum then a count, QUANTILE an array of clamped values
 */
public record DpAggregate(String outputName, Kind kind, double quantile, double lower, double upper,
                          List<String> partialColumns) {

    /** The aggregates DP mode can release. */
    public enum Kind {
        COUNT,
        COUNT_DISTINCT_UNITS,
        SUM,
        MEAN,
        QUANTILE
    }

    public DpAggregate {
        Objects.requireNonNull(outputName, "outputName");
        Objects.requireNonNull(kind, "kind");
        partialColumns = List.copyOf(partialColumns);
        if (!(lower <= upper) || !Double.isFinite(lower) || !Double.isFinite(upper)) {
            throw new IllegalArgumentException("bounds must be finite with lower <= upper");
        }
        if ((kind == Kind.QUANTILE) != (quantile >= 0 && quantile <= 1)) {
            throw new IllegalArgumentException("a quantile rank in [0, 1] is required for QUANTILE and only for it");
        }
        int expected = kind == Kind.MEAN ? 2 : 1;
        if (partialColumns.size() != expected) {
            throw new IllegalArgumentException(kind + " needs " + expected + " partial column(s)");
        }
    }
}
