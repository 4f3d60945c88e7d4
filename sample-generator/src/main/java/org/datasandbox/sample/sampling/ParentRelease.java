package org.datasandbox.sample.sampling;

import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A linked parent's masked sample as already released to the scenario: what an attacker joins a child's sample to
 * on the pseudonym.
 *
 * @param table the parent table
 * @param unit its privacy-unit column
 * @param rows its stored masked sample
 * @param population every original row of the parent, masked and generalized exactly as its sample was released
 * @param known its attacker-known columns, as its own anonymization chose them
 * @param sensitive its sensitive columns served with values
 */
public record ParentRelease(String table, String unit, Dataset<Row> rows, Dataset<Row> population, List<String> known, List<String> sensitive) {

    public ParentRelease {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(rows, "rows");
        Objects.requireNonNull(population, "population");
        known = List.copyOf(known);
        sensitive = List.copyOf(sensitive);
    }

    /** The parent's known and sensitive columns: what is carried onto a child's rows. */
    public List<String> carried() {
        List<String> carried = new java.util.ArrayList<>(known);
        carried.addAll(sensitive);
        return carried;
    }

    /** The child's anonymity spec over the joined view: the parent's columns fixed as released, its sensitive ones diverse. */
    public AnonymitySpec joinedSpec(AnonymitySpec child) {
        return child.withLinked(known.stream().map(n -> LinkedSampler.PARENT_PREFIX + n).toList(),
                sensitive.stream().map(n -> LinkedSampler.PARENT_PREFIX + n).toList());
    }
}
