package org.datasandbox.sample.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.rand;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.datasandbox.sample.SampleColumn;

/**
 * What sample reports compare against, computed once per table and policy version inside the sandbox:
 * the originals' value counts and correlations, and a few thousand of their rows (a reference set and
 * a held-out set) for distances to the closest record. It never leaves the sandbox.
 */
public final class OriginalsProfile {
    static final int REFERENCE_ROWS = 2_000;
    static final int HOLDOUT_ROWS = 200;

    private final Dataset<Row> originals;
    private final List<SampleColumn> compared;
    private final Map<Integer, Map<String, Long>> counts;
    private final double[] correlations;
    private final List<Row> reference;
    private final List<Row> holdout;

    private OriginalsProfile(Dataset<Row> originals, List<SampleColumn> compared, Map<Integer, Map<String, Long>> counts,
                             double[] correlations, List<Row> reference, List<Row> holdout) {
        this.originals = originals;
        this.compared = compared;
        this.counts = counts;
        this.correlations = correlations;
        this.reference = reference;
        this.holdout = holdout;
    }

    public static OriginalsProfile of(Dataset<Row> originals, List<SampleColumn> columns, long seed) {
        List<SampleColumn> compared = columns.stream().filter(SampleColumn::modelled).toList();
        Map<Integer, Map<String, Long>> counts = SampleReports.keyCounts(originals, compared);
        double[] correlations = SampleReports.correlations(originals, compared);
        List<Row> reference = List.of();
        List<Row> holdout = List.of();
        if (!compared.isEmpty()) {
            long rows = counts.getOrDefault(0, Map.of()).values().stream().mapToLong(Long::longValue).sum();
            double holdoutShare = Math.min(0.5, 2.0 * HOLDOUT_ROWS / Math.max(1, rows));
            double referenceShare = Math.min(1.0, 2.0 * REFERENCE_ROWS / Math.max(1, rows));
            Column[] names = compared.stream().map(c -> col(c.name())).toArray(Column[]::new);
            Dataset<Row> split = originals.select(names).withColumn("_r", rand(seed));
            holdout = split.where(col("_r").lt(holdoutShare)).drop("_r").limit(HOLDOUT_ROWS).collectAsList();
            reference = split.where(col("_r").geq(holdoutShare).and(col("_r").lt(holdoutShare + referenceShare)))
                    .drop("_r").limit(REFERENCE_ROWS).collectAsList();
        }
        return new OriginalsProfile(originals, compared, counts, correlations, reference, holdout);
    }

    Dataset<Row> originals() {
        return originals;
    }

    List<SampleColumn> compared() {
        return compared;
    }

    Map<Integer, Map<String, Long>> counts() {
        return counts;
    }

    double[] correlations() {
        return correlations;
    }

    List<Row> reference() {
        return reference;
    }

    List<Row> holdout() {
        return holdout;
    }
}
