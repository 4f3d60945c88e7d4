package org.datasandbox.guard.dp;

import java.util.List;
import java.util.Objects;

/**
 * The per-unit step of a DP plan as a relation for a streaming bounding: the rewrite's rows before
 * {@link ContributionBounding} (after joins, filters and clamping), one per input row, with the columns
 * {@code __dp_key0.., __dp_unit, __dp_value0..} (one clamped value per aggregate; 1 or NULL for counts), and the
 * bounding the SQL path applies to them: L0, Linf and the salt of its keyed hash, so that a streaming pass keeps
 * the SAME groups of every unit to the bit. The SQL path ({@link DpQuery#sparkSql()}) stays the reference.
 *
 * @param sparkSql the relation, unparsed to Spark SQL
 * @param keys the number of group key columns ({@code __dp_key0..})
 * @param kinds one per aggregate, in order (no {@link DpAggregate.Kind#QUANTILE}: the streaming pass does not do
 *              them)
 * @param maxGroupsPerUnit L0
 * @param maxRowsPerUnitPerGroup Linf
 * @param salt the first argument of the SQL path's {@code xxhash64(salt, unit, keys...)}
 */
public record UnitRows(String sparkSql, int keys, List<DpAggregate.Kind> kinds, int maxGroupsPerUnit,
                       int maxRowsPerUnitPerGroup, long salt) {
    public static final String KEY_PREFIX = "__dp_key";
    public static final String UNIT = "__dp_unit";
    public static final String VALUE_PREFIX = "__dp_value";

    public UnitRows {
        Objects.requireNonNull(sparkSql, "sparkSql");
        kinds = List.copyOf(kinds);
        if (keys < 0 || kinds.isEmpty() || maxGroupsPerUnit < 1 || maxRowsPerUnitPerGroup < 1) {
            throw new IllegalArgumentException("unit rows need keys >= 0, an aggregate and L0, Linf >= 1");
        }
        if (kinds.contains(DpAggregate.Kind.QUANTILE)) {
            throw new IllegalArgumentException("quantiles are bounded by the SQL path only");
        }
    }

    /** Hides the salt: a plan's text may reach an explanation or a log. */
    @Override
    public String toString() {
        return "UnitRows[keys=" + keys + ", kinds=" + kinds + ", L0=" + maxGroupsPerUnit + ", Linf="
                + maxRowsPerUnitPerGroup + "]";
    }
}
