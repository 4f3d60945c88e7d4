package org.datasandbox.sample.report;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.corr;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.year;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.datasandbox.masking.function.ValueType;
import org.datasandbox.sample.SampleColumn;
import org.datasandbox.sample.SampleColumn.Kind;

/** Computes {@link SampleReport}s inside Spark: the originals are read there and only figures come out. */
public final class SampleReports {
    private static final int BINS = 20;
    private static final int DISTANCE_ROWS = 500;
    private static final int REFERENCE_ROWS = 5000;
    private static final double DATE_SPAN_DAYS = 36_525; // a century: what "far apart" means for dates
    private static final String NULL_KEY = "\u0000null";

    private SampleReports() {
    }

    /** Fidelity and closeness of {@code sample} to {@code originals} over the modelled columns. */
    public static SampleReport compare(String table, String kind, Dataset<Row> sample, Dataset<Row> originals,
                                       List<SampleColumn> columns, long seed) {
        List<SampleColumn> compared = columns.stream().filter(SampleColumn::modelled).toList();
        long rows = sample.count();
        SampleReport.Fidelity fidelity = new SampleReport.Fidelity(distances(sample, originals, compared),
                0, 0, "");
        fidelity = withCorrelations(fidelity, sample, originals, compared);
        long exact = compared.isEmpty() ? 0 : exactMatches(sample, originals, compared);
        SampleReport.Distances[] closest = closestRecords(sample, originals, compared, rows, seed);
        return new SampleReport(table, kind, rows, fidelity,
                new SampleReport.Privacy(exact, closest[0], closest[1], null, "", List.of(), 0));
    }

    /** Equivalence classes of {@code sample} on its quasi-identifier columns; null when there are none. */
    public static SampleReport.ReidentificationRisk risk(Dataset<Row> sample, List<SampleColumn> columns, int k) {
        List<String> qis = columns.stream().filter(SampleColumn::quasiIdentifier).map(SampleColumn::name).toList();
        if (qis.isEmpty()) {
            return null;
        }
        Row stats = sample.groupBy(qis.stream().map(n -> col(n)).toArray(Column[]::new)).count()
                .agg(org.apache.spark.sql.functions.count(lit(1)), min("count"), org.apache.spark.sql.functions.sum("count"),
                        org.apache.spark.sql.functions.sum(when(col("count").lt(k), col("count")).otherwise(0)))
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

    /** Total variation distance per column, from one grouped count per dataset. */
    private static Map<String, Double> distances(Dataset<Row> sample, Dataset<Row> originals, List<SampleColumn> compared) {
        Map<String, Double> result = new LinkedHashMap<>();
        if (compared.isEmpty()) {
            return result;
        }
        Map<Integer, Map<String, Long>> p = keyCounts(sample, compared);
        Map<Integer, Map<String, Long>> q = keyCounts(originals, compared);
        for (int i = 0; i < compared.size(); i++) {
            Map<String, Long> a = p.getOrDefault(i, Map.of());
            Map<String, Long> b = q.getOrDefault(i, Map.of());
            double totalA = a.values().stream().mapToLong(Long::longValue).sum();
            double totalB = b.values().stream().mapToLong(Long::longValue).sum();
            java.util.Set<String> keys = new java.util.HashSet<>(a.keySet());
            keys.addAll(b.keySet());
            double tvd = 0;
            for (String key : keys) {
                double pa = totalA == 0 ? 0 : a.getOrDefault(key, 0L) / totalA;
                double pb = totalB == 0 ? 0 : b.getOrDefault(key, 0L) / totalB;
                tvd += Math.abs(pa - pb);
            }
            result.put(compared.get(i).name(), round(tvd / 2));
        }
        return result;
    }

    private static Map<Integer, Map<String, Long>> keyCounts(Dataset<Row> data, List<SampleColumn> compared) {
        List<Column> keys = new ArrayList<>();
        StringBuilder stack = new StringBuilder("stack(").append(compared.size());
        for (int i = 0; i < compared.size(); i++) {
            keys.add(key(compared.get(i)).as("k" + i));
            stack.append(", ").append(i).append(", k").append(i);
        }
        stack.append(") AS (c, k)");
        Map<Integer, Map<String, Long>> counts = new HashMap<>();
        for (Row row : data.select(keys.toArray(Column[]::new)).selectExpr(stack.toString()).groupBy("c", "k").count()
                .collectAsList()) {
            counts.computeIfAbsent(row.getInt(0), c -> new HashMap<>()).put(row.getString(1), row.getLong(2));
        }
        return counts;
    }

    /** The bin of a value for distribution distances: the value, a bound bin, or a year. */
    private static Column key(SampleColumn column) {
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

    private static SampleReport.Fidelity withCorrelations(SampleReport.Fidelity fidelity, Dataset<Row> sample,
                                                          Dataset<Row> originals, List<SampleColumn> compared) {
        List<SampleColumn> numeric = compared.stream()
                .filter(c -> c.type().isNumeric() || c.type() == ValueType.DATE || c.type() == ValueType.BOOLEAN).toList();
        if (numeric.size() < 2) {
            return fidelity;
        }
        List<Column> pairs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < numeric.size(); i++) {
            for (int j = i + 1; j < numeric.size(); j++) {
                pairs.add(corr(number(numeric.get(i)), number(numeric.get(j))));
                names.add(numeric.get(i).name() + " ~ " + numeric.get(j).name());
            }
        }
        Row a = sample.agg(pairs.get(0), pairs.subList(1, pairs.size()).toArray(Column[]::new)).first();
        Row b = originals.agg(pairs.get(0), pairs.subList(1, pairs.size()).toArray(Column[]::new)).first();
        double sum = 0;
        int counted = 0;
        double max = 0;
        String worst = "";
        for (int p = 0; p < names.size(); p++) {
            if (a.isNullAt(p) || b.isNullAt(p) || Double.isNaN(a.getDouble(p)) || Double.isNaN(b.getDouble(p))) {
                continue;
            }
            double difference = Math.abs(a.getDouble(p) - b.getDouble(p));
            sum += difference;
            counted++;
            if (difference >= max) {
                max = difference;
                worst = names.get(p);
            }
        }
        return new SampleReport.Fidelity(fidelity.distributionDistance(), counted == 0 ? 0 : round(sum / counted),
                round(max), worst);
    }

    private static Column number(SampleColumn column) {
        Column value = col(column.name());
        if (column.type() == ValueType.DATE) {
            return datediff(value, lit(LocalDate.EPOCH)).cast("double");
        }
        return value.cast("double");
    }

    private static long exactMatches(Dataset<Row> sample, Dataset<Row> originals, List<SampleColumn> compared) {
        Dataset<Row> known = originals.select(compared.stream().map(c -> col(c.name()).as("o_" + c.name()))
                .toArray(Column[]::new)).distinct();
        Column same = lit(true);
        for (SampleColumn c : compared) {
            same = same.and(sample.col(c.name()).eqNullSafe(known.col("o_" + c.name())));
        }
        return sample.join(known, same, "left_semi").count();
    }

    /** Distances to the closest record, for sample rows and for held-out real rows. */
    private static SampleReport.Distances[] closestRecords(Dataset<Row> sample, Dataset<Row> originals,
                                                           List<SampleColumn> compared, long sampleRows, long seed) {
        SampleReport.Distances none = new SampleReport.Distances(0, 0);
        if (compared.isEmpty() || sampleRows == 0) {
            return new SampleReport.Distances[] {none, none};
        }
        long originalRows = originals.count();
        double holdoutShare = Math.min(0.5, 2.0 * DISTANCE_ROWS / Math.max(1, originalRows));
        Dataset<Row> split = originals.select(names(compared)).withColumn("_r", rand(seed));
        Dataset<Row> holdout = split.where(col("_r").lt(holdoutShare)).drop("_r").limit(DISTANCE_ROWS);
        Dataset<Row> reference = split.where(col("_r").geq(holdoutShare)).drop("_r").limit(REFERENCE_ROWS);
        double sampleShare = Math.min(1.0, 2.0 * DISTANCE_ROWS / sampleRows);
        Dataset<Row> probes = sample.select(names(compared)).where(rand(seed + 1).lt(sampleShare)).limit(DISTANCE_ROWS);
        return new SampleReport.Distances[] {closest(probes, reference, compared), closest(holdout, reference, compared)};
    }

    private static SampleReport.Distances closest(Dataset<Row> probes, Dataset<Row> reference, List<SampleColumn> compared) {
        Dataset<Row> left = probes.withColumn("_id", monotonically_increasing_id());
        Dataset<Row> right = reference.select(compared.stream().map(c -> col(c.name()).as("r_" + c.name())).toArray(Column[]::new));
        Column distance = lit(0.0);
        for (SampleColumn c : compared) {
            distance = distance.plus(columnDistance(c, left.col(c.name()), right.col("r_" + c.name())));
        }
        distance = distance.divide(lit((double) compared.size()));
        Row row = left.crossJoin(right).groupBy("_id").agg(min(distance).as("d"))
                .agg(percentile_approx(col("d"), org.apache.spark.sql.functions.array(lit(0.05), lit(0.5)), lit(10_000)))
                .first();
        if (row.isNullAt(0)) {
            return new SampleReport.Distances(0, 0);
        }
        List<Object> quantiles = row.getList(0);
        return new SampleReport.Distances(round(((Number) quantiles.get(0)).doubleValue()),
                round(((Number) quantiles.get(1)).doubleValue()));
    }

    private static Column columnDistance(SampleColumn column, Column a, Column b) {
        Column differ;
        if (column.kind() == Kind.CATEGORICAL) {
            differ = when(a.cast("string").eqNullSafe(b.cast("string")), lit(0.0)).otherwise(lit(1.0));
            return differ;
        }
        double span = column.type() == ValueType.DATE ? DATE_SPAN_DAYS : column.upper() - column.lower();
        Column x = column.type() == ValueType.DATE ? datediff(a, lit(LocalDate.EPOCH)) : a.cast("double");
        Column y = column.type() == ValueType.DATE ? datediff(b, lit(LocalDate.EPOCH)) : b.cast("double");
        return when(a.isNull().and(b.isNull()), lit(0.0))
                .when(a.isNull().or(b.isNull()), lit(1.0))
                .otherwise(least(abs(x.minus(y)).divide(lit(span)), lit(1.0)));
    }

    private static Column[] names(List<SampleColumn> compared) {
        return compared.stream().map(c -> col(c.name())).toArray(Column[]::new);
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
