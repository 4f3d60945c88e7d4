package org.datasandbox.core.sample;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** A sample as one developer downloads it: only the columns their scenario grants, at most so many rows. */
public final class SampleDownloads {
    /** The file and how many rows it holds. */
    public record Encoded(byte[] data, int rows) {
    }

    private SampleDownloads() {
    }

    public static Encoded encode(Dataset<Row> sample, Set<String> granted, int maxRows, SampleFormat format,
                                 SparkSession spark, Path scratch) throws IOException {
        // column names are registered identifiers ([a-z_][a-z0-9_]*): col() reads them as they are
        Column[] columns = Arrays.stream(sample.columns()).filter(granted::contains).map(c -> col(c)).toArray(Column[]::new);
        Dataset<Row> selected = sample.select(columns).limit(maxRows);
        List<Row> rows = selected.collectAsList();
        return new Encoded(format.encode(spark, selected.schema(), rows, scratch), rows.size());
    }
}
