package org.datasandbox.sample.sampling;

import static org.apache.spark.sql.functions.col;

import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Samples linked tables together: the root table selects its people (by keyed hash, stratified if its
 * policy says so), every table below keeps the rows of exactly those people (a semi-join on its parent's
 * selection), and people that anonymization suppressed from a parent's sample leave the child's too, so
 * that every child row still joins its person.
 */
public final class LinkedSampler {
    private static final String PARENT_UNIT = "__parent_unit";
    private static final String PARENT_ROW = "__parent_row";

    private LinkedSampler() {
    }

    /**
     * The original rows of {@code table} that a masked sample keeps.
     *
     * @param originals the original rows of a table, by name
     * @param fraction share of the root table's people to keep
     * @param seed the scenario's selection key
     */
    public static Dataset<Row> select(LinkedTable table, Function<String, Dataset<Row>> originals, double fraction, long seed) {
        Dataset<Row> rows = originals.apply(table.name());
        if (table.parent().isEmpty()) {
            return MaskedSampleGenerator.select(rows, new SampleSpec(table.unit(), fraction, seed, table.stratifyBy()));
        }
        LinkedTable parent = table.parent().get();
        if (parent.stratifyBy().isEmpty() && parent.parent().isEmpty()) {
            // the same hash threshold keeps the same people without reading the parent
            return MaskedSampleGenerator.select(rows, new SampleSpec(table.unit(), fraction, seed));
        }
        Dataset<Row> parentRows = select(parent, originals, fraction, seed);
        return MaskedSampleGenerator.keepUnits(rows, table.unit(),
                parentRows.select(col(parent.unit()).as(MaskedSampleGenerator.UNIT)).distinct());
    }

    /**
     * The masked rows of a linked table whose person is still in the parent's masked sample. Both privacy
     * units must carry the same mask (same function, same scenario key), so the masked values match.
     */
    public static Dataset<Row> withParentsKept(Dataset<Row> masked, String unit, Dataset<Row> parentSample, String parentUnit) {
        Dataset<Row> kept = parentSample.select(col(parentUnit).as(PARENT_UNIT)).distinct();
        return masked.join(kept, masked.col(unit).equalTo(kept.col(PARENT_UNIT)), "left_semi");
    }

    /** The prefix of a parent's released column carried onto a linked table's rows for anonymization. */
    public static final String PARENT_PREFIX = "__parent_";

    /**
     * The masked rows of a linked table with the released values of their person in the parent's sample, as an
     * attacker who joins the two on the pseudonym sees them: every column in {@code parentColumns}, named
     * {@value #PARENT_PREFIX} and the column's name. A child row's person is in the parent sample (see
     * {@link #withParentsKept}), so the join keeps every row.
     */
    public static Dataset<Row> withParentColumns(Dataset<Row> masked, String unit, Dataset<Row> parentSample, String parentUnit,
                                                 java.util.List<String> parentColumns) {
        java.util.List<org.apache.spark.sql.Column> carried = new java.util.ArrayList<>();
        carried.add(col(parentUnit).as(PARENT_UNIT));
        parentColumns.forEach(name -> carried.add(col(name).as(PARENT_PREFIX + name)));
        // one row per person, the least by content (not the first a layout delivers), so the carried values follow the rows
        Dataset<Row> parent = parentColumns.isEmpty() ? parentSample.select(col(parentUnit).as(PARENT_UNIT)).distinct()
                : parentSample.select(carried.toArray(org.apache.spark.sql.Column[]::new))
                .groupBy(col(PARENT_UNIT)).agg(org.apache.spark.sql.functions.min(org.apache.spark.sql.functions.struct(
                        parentColumns.stream().map(name -> col(PARENT_PREFIX + name)).toArray(org.apache.spark.sql.Column[]::new)))
                        .as(PARENT_ROW))
                .select(java.util.stream.Stream.concat(java.util.stream.Stream.of(col(PARENT_UNIT)), parentColumns.stream()
                        .map(name -> col(PARENT_ROW + "." + PARENT_PREFIX + name).as(PARENT_PREFIX + name)))
                        .toArray(org.apache.spark.sql.Column[]::new));
        return masked.join(parent, masked.col(unit).equalTo(parent.col(PARENT_UNIT)), "inner").drop(PARENT_UNIT);
    }

    /** The rows without the parent's carried columns. */
    public static Dataset<Row> withoutParentColumns(Dataset<Row> rows) {
        return rows.drop(java.util.Arrays.stream(rows.columns()).filter(c -> c.startsWith(PARENT_PREFIX)).toArray(String[]::new));
    }
}
