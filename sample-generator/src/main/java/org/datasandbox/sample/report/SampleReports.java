package org.datasandbox.sample.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.year;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.datasandbox.masking.function.ValueType;
import org.datasandbox.sample.SampleColumn;
import org.datasandbox.sample.SampleColumn.Kind;

/**
 * Figures of one sample on its own, shared by both kinds of report: the equivalence classes of its
 * quasi-identifiers, and the public bins of a column's distribution that fidelity is measured over.
 */
public final class SampleReports {
    private static final int BINS = 20;
    private static final String NULL_KEY = "\u0000null";

    private SampleReports() {
    }

    /** Equivalence classes of {@code sample} on its quasi-identifier columns; null when there are none. */
    public static SampleReport.ReidentificationRisk risk(Dataset<Row> sample, List<SampleColumn> columns, int k) {
        List<String> qis = columns.stream().filter(SampleColumn::quasiIdentifier).map(SampleColumn::name).toList();
        if (qis.isEmpty()) {
            return null;
        }
        Row stats = sample.groupBy(qis.stream().map(n -> col(n)).toArray(Column[]::new)).count()
                .agg(count(lit(1)), min("count"), sum("count"), sum(when(col("count").lt(k), col("count")).otherwise(0)))
                .first();
        long classes = stats.getLong(0);
        if (classes == 0) {
            return new SampleReport.ReidentificationRisk(qis, k, 0, 0, 0, 0, 0);
        }
        long smallest = stats.getLong(1);
        long rows = stats.getLong(2);
        long below = stats.getLong(3);
        return new SampleReport.ReidentificationRisk(qis, k, classes, smallest, round((double) below / rows),
                round(1.0 / smallest), round((double) classes / rows));
    }

    /** The bin of a value for distribution distances: the value, a bound bin, or a year. */
    static Column key(SampleColumn column) {
        Column value = col(column.name());
        Column key;
        if (column.kind() == Kind.CATEGORICAL) {
            key = value.cast("string");
        } else if (column.type() == ValueType.DATE) {
            key = year(value).cast("string");
        } else {
            double width = (column.upper() - column.lower()) / BINS;
            key = least(greatest(floor(value.cast("double").minus(lit(column.lower())).divide(lit(width))), lit(0L)),
                    lit((long) BINS - 1)).cast("string");
        }
        return when(value.isNull(), lit(NULL_KEY)).otherwise(key);
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
