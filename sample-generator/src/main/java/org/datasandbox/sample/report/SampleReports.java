package org.datasandbox.sample.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.corr;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.year;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.datasandbox.masking.function.ValueType;
import org.datasandbox.sample.SampleColumn;
import org.datasandbox.sample.SampleColumn.Kind;

/**
 * Computes {@link SampleReport}s inside the sandbox: value counts, correlations and exact matches in
 * Spark, distances to the closest record on a few thousand collected rows. Only figures come out.
 */
public final class SampleReports {
    private static final int BINS = 20;
    private static final int PROBE_ROWS = 200;
    private static final double DATE_SPAN_DAYS = 36_525; // a century: what "far apart" means for dates
    private static final String NULL_KEY = "\u0000null";

    private SampleReports() {
    }

    /** Fidelity and closeness of {@code sample} to the profiled originals over the modelled columns. */
    public static SampleReport compare(String table, String kind, Dataset<Row> sample, OriginalsProfile profile, long seed) {
        List<SampleColumn> compared = profile.compared();
        Map<Integer, Map<String, Long>> counts = keyCounts(sample, compared);
        long rows = compared.isEmpty() ? sample.count()
                : counts.getOrDefault(0, Map.of()).values().stream().mapToLong(Long::longValue).sum();
        SampleReport.Fidelity fidelity = fidelity(compared, counts, profile.counts(),
                correlations(sample, compared), profile.correlations());
        long exact = compared.isEmpty() ? 0 : exactMatches(sample, profile.originals(), compared);
        SampleReport.Distances closest = new SampleReport.Distances(0, 0);
        SampleReport.Distances holdout = new SampleReport.Distances(0, 0);
        if (!compared.isEmpty() && rows > 0) {
            double share = Math.min(1.0, 2.0 * PROBE_ROWS / rows);
            List<Row> probes = sample.select(compared.stream().map(c -> col(c.name())).toArray(Column[]::new))
                    .where(rand(seed).lt(share)).limit(PROBE_ROWS).collectAsList();
            closest = closest(probes, profile.reference(), compared);
            holdout = closest(profile.holdout(), profile.reference(), compared);
        }
        return new SampleReport(table, kind, rows, fidelity,
                new SampleReport.Privacy(exact, closest, holdout, null, "", List.of(), 0, null));
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

    private static SampleReport.Fidelity fidelity(List<SampleColumn> compared, Map<Integer, Map<String, Long>> sample,
                                                  Map<Integer, Map<String, Long>> originals, double[] sampleCorrelations,
                                                  double[] originalCorrelations) {
        Map<String, Double> distances = new LinkedHashMap<>();
        for (int i = 0; i < compared.size(); i++) {
            distances.put(compared.get(i).name(), round(totalVariation(sample.getOrDefault(i, Map.of()),
                    originals.getOrDefault(i, Map.of()))));
        }
        List<String> pairs = correlationPairs(compared);
        double sum = 0;
        int counted = 0;
        double max = 0;
        String worst = "";
        for (int p = 0; p < pairs.size(); p++) {
            double a = sampleCorrelations[p];
            double b = originalCorrelations[p];
            if (Double.isNaN(a) || Double.isNaN(b)) {
                continue;
            }
            double difference = Math.abs(a - b);
            sum += difference;
            counted++;
            if (difference >= max) {
                max = difference;
                worst = pairs.get(p);
            }
        }
        return new SampleReport.Fidelity(distances, counted == 0 ? 0 : round(sum / counted), round(max), worst);
    }

    private static double totalVariation(Map<String, Long> a, Map<String, Long> b) {
        double totalA = a.values().stream().mapToLong(Long::longValue).sum();
        double totalB = b.values().stream().mapToLong(Long::longValue).sum();
        Set<String> keys = new HashSet<>(a.keySet());
        keys.addAll(b.keySet());
        double tvd = 0;
        for (String key : keys) {
            double pa = totalA == 0 ? 0 : a.getOrDefault(key, 0L) / totalA;
            double pb = totalB == 0 ? 0 : b.getOrDefault(key, 0L) / totalB;
            tvd += Math.abs(pa - pb);
        }
        return tvd / 2;
    }

    /** Counts per distribution key of every compared column, in one pass: {@code [column][key]}. */
    static Map<Integer, Map<String, Long>> keyCounts(Dataset<Row> data, List<SampleColumn> compared) {
        Map<Integer, Map<String, Long>> counts = new HashMap<>();
        if (compared.isEmpty()) {
            return counts;
        }
        List<Column> keys = new ArrayList<>();
        StringBuilder stack = new StringBuilder("stack(").append(compared.size());
        for (int i = 0; i < compared.size(); i++) {
            keys.add(key(compared.get(i)).as("k" + i));
            stack.append(", ").append(i).append(", k").append(i);
        }
        stack.append(") AS (c, k)");
        for (Row row : data.select(keys.toArray(Column[]::new)).selectExpr(stack.toString()).groupBy("c", "k").count()
                .collectAsList()) {
            counts.computeIfAbsent(row.getInt(0), c -> new HashMap<>()).put(row.getString(1), row.getLong(2));
        }
        return counts;
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

    private static List<SampleColumn> numeric(List<SampleColumn> compared) {
        return compared.stream()
                .filter(c -> c.type().isNumeric() || c.type() == ValueType.DATE || c.type() == ValueType.BOOLEAN).toList();
    }

    private static List<String> correlationPairs(List<SampleColumn> compared) {
        List<SampleColumn> numeric = numeric(compared);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < numeric.size(); i++) {
            for (int j = i + 1; j < numeric.size(); j++) {
                names.add(numeric.get(i).name() + " ~ " + numeric.get(j).name());
            }
        }
        return names;
    }

    /** Pearson correlations of every two numeric columns (NaN where undefined), in one aggregation. */
    static double[] correlations(Dataset<Row> data, List<SampleColumn> compared) {
        List<SampleColumn> numeric = numeric(compared);
        List<Column> pairs = new ArrayList<>();
        for (int i = 0; i < numeric.size(); i++) {
            for (int j = i + 1; j < numeric.size(); j++) {
                pairs.add(corr(number(numeric.get(i)), number(numeric.get(j))));
            }
        }
        double[] result = new double[pairs.size()];
        if (pairs.isEmpty()) {
            return result;
        }
        Row row = data.agg(pairs.get(0), pairs.subList(1, pairs.size()).toArray(Column[]::new)).first();
        for (int p = 0; p < result.length; p++) {
            result[p] = row.isNullAt(p) ? Double.NaN : row.getDouble(p);
        }
        return result;
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

    /** 5th percentile and median over the probes of the distance to their closest reference row. */
    private static SampleReport.Distances closest(List<Row> probes, List<Row> reference, List<SampleColumn> compared) {
        if (probes.isEmpty() || reference.isEmpty()) {
            return new SampleReport.Distances(0, 0);
        }
        double[] nearest = new double[probes.size()];
        for (int p = 0; p < probes.size(); p++) {
            double best = Double.MAX_VALUE;
            for (Row candidate : reference) {
                double d = 0;
                for (int c = 0; c < compared.size() && d < best; c++) {
                    d += distance(compared.get(c), probes.get(p).get(c), candidate.get(c));
                }
                best = Math.min(best, d);
            }
            nearest[p] = best / compared.size();
        }
        Arrays.sort(nearest);
        return new SampleReport.Distances(round(nearest[(int) (0.05 * (nearest.length - 1))]),
                round(nearest[(nearest.length - 1) / 2]));
    }

    /** 0 to 1: range-normalized for numbers and dates, 0 or 1 for categories; a missing value is far. */
    private static double distance(SampleColumn column, Object a, Object b) {
        if (a == null || b == null) {
            return a == b ? 0 : 1;
        }
        if (column.kind() == Kind.CATEGORICAL) {
            return a.toString().equals(b.toString()) ? 0 : 1;
        }
        double x = asNumber(a);
        double y = asNumber(b);
        double span = column.type() == ValueType.DATE ? DATE_SPAN_DAYS : column.upper() - column.lower();
        return Math.min(1, Math.abs(x - y) / span);
    }

    private static double asNumber(Object value) {
        if (value instanceof LocalDate date) {
            return date.toEpochDay();
        }
        if (value instanceof java.sql.Date date) {
            return date.toLocalDate().toEpochDay();
        }
        return value instanceof Number number ? number.doubleValue() : Double.NaN;
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
