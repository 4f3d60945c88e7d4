package org.datasandbox.core.dprelease;

import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Test access to the layout check of {@link StreamingUnitBounding} from other packages. */
public final class LayoutProbe {
    private LayoutProbe() {
    }

    public static Optional<Integer> clusteredPartitions(Dataset<Row> rows, int unitColumn) {
        return StreamingUnitBounding.clusteredPartitions(rows, unitColumn);
    }
}
