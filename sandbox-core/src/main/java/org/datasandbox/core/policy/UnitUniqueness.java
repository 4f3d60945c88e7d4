package org.datasandbox.core.policy;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Verifies a table policy's {@code one_row_per_unit} declaration on the registered originals: one
 * aggregate, {@code COUNT(*) = COUNT(DISTINCT unit)}, which is false when a unit has two rows and when a
 * row has no unit (COUNT(DISTINCT) skips NULLs). The answer is cached per table, unit column and data
 * version (the content hash of the registered upload): the originals of a version never change.
 * Only the yes or no leaves this class; no count and no value.
 */
public final class UnitUniqueness {
    private final Function<String, Dataset<Row>> originals;
    private final Map<String, Boolean> verified = new ConcurrentHashMap<>();

    /** @param originals the registered original table of a name, as the originals' session reads it */
    public UnitUniqueness(Function<String, Dataset<Row>> originals) {
        this.originals = Objects.requireNonNull(originals, "originals");
    }

    /** Whether every row of this version of the table has a unit, and no two rows the same one. */
    public boolean holds(String table, String unitColumn, String dataVersion) {
        String key = table + "\u0000" + unitColumn + "\u0000" + dataVersion;
        Boolean known = verified.get(key);
        if (known != null) {
            return known;
        }
        Row counts = originals.apply(table)
                .agg(functions.count(functions.lit(1)), functions.count_distinct(functions.col(quoted(unitColumn))))
                .head();
        boolean holds = counts.getLong(0) == counts.getLong(1);
        verified.put(key, holds);
        return holds;
    }

    private static String quoted(String column) {
        return "`" + column.replace("`", "``") + "`";
    }
}
