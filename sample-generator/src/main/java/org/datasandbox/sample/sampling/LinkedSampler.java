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
}
