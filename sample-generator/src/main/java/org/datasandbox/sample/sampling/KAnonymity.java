package org.datasandbox.sample.sampling;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * k-anonymity of a masked sample by suppression: the policy's masks generalize the quasi-identifiers
 * (bands, truncated dates), then every row whose combination of quasi-identifiers is shared by fewer
 * than k rows of the sample is dropped.
 */
public final class KAnonymity {
    private static final String CLASS_SIZE = "__class_size";

    private KAnonymity() {
    }

    public static Dataset<Row> suppress(Dataset<Row> masked, List<String> quasiIdentifiers, int k) {
        if (k < 2) {
            throw new IllegalArgumentException("k must be at least 2. Provided value: " + k);
        }
        if (quasiIdentifiers.isEmpty()) {
            return masked;
        }
        Column[] keys = quasiIdentifiers.stream().map(n -> col(n)).toArray(Column[]::new);
        return masked.withColumn(CLASS_SIZE, count(lit(1)).over(Window.partitionBy(keys)))
                .where(col(CLASS_SIZE).geq(k)).drop(CLASS_SIZE);
    }
}
