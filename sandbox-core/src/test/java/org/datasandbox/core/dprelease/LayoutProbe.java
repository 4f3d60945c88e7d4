package org.datasandbox.core.dprelease;

import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Test access to the layout check and the pass of {@link StreamingUnitBounding} from other packages. */
public final class LayoutProbe {
    private LayoutProbe() {
    }

    /** The streaming partials of rows laid out in {@code partitions} hash partitions of the unit, each sorted by it. */
    public static Dataset<Row> streamingPartials(org.datasandbox.guard.dp.DpQuery query, Dataset<Row> rows,
                                                 int partitions) {
        return StreamingUnitBounding.partials(query, rows, partitions);
    }

    public static Optional<Integer> clusteredPartitions(Dataset<Row> rows, int unitColumn) {
        return StreamingUnitBounding.clusteredPartitions(rows, unitColumn);
    }
}
