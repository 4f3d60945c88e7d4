package org.datasandbox.sample.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.datasandbox.sample.SampleColumn;

/**
 * How close a sample is to the originals: total variation distance of every column (1-way) and every pair
 * of columns (2-way), and the difference of Pearson correlations. Values are compared by category, by 20
 * equal bins of the policy bounds, or by year for dates; "no value" is a value.
 *
 * <p>These are exact statistics of the originals. They are for tests, benchmarks and the closing
 * figures of the project, measured inside the sandbox: never part of a synthetic sample's report (see
 * {@link SyntheticReport}), which would leak them outside the budget.
 *
 * @param oneWay TVD per column; {@code twoWay} per pair "a ~ b"
 * @param correlationDifference absolute difference of correlations per pair of numeric columns
 */
public record FidelityEvaluation(Map<String, Double> oneWay, Map<String, Double> twoWay,
                                 Map<String, Double> correlationDifference) {

    public FidelityEvaluation {
        oneWay = Map.copyOf(oneWay);
        twoWay = Map.copyOf(twoWay);
        correlationDifference = Map.copyOf(correlationDifference);
    }

    public double meanOneWay() {
        return mean(oneWay);
    }

    public double meanTwoWay() {
        return mean(twoWay);
    }

    public double meanCorrelationDifference() {
        return mean(correlationDifference);
    }

    public double maxCorrelationDifference() {
        return correlationDifference.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    /** Compares {@code sample} with {@code originals} on the modelled columns. */
    public static FidelityEvaluation of(Dataset<Row> originals, Dataset<Row> sample, List<SampleColumn> columns) {
        List<SampleColumn> compared = columns.stream().filter(SampleColumn::modelled).toList();
        Map<String, Long>[][] a = pairCounts(originals, compared);
        Map<String, Long>[][] b = pairCounts(sample, compared);
        Map<String, Double> oneWay = new LinkedHashMap<>();
        Map<String, Double> twoWay = new LinkedHashMap<>();
        for (int i = 0; i < compared.size(); i++) {
            oneWay.put(compared.get(i).name(), round(totalVariation(a[i][i], b[i][i])));
            for (int j = i + 1; j < compared.size(); j++) {
                twoWay.put(compared.get(i).name() + " ~ " + compared.get(j).name(), round(totalVariation(a[i][j], b[i][j])));
            }
        }
        List<SampleColumn> numeric = compared.stream().filter(c -> c.type().isNumeric()
                || c.type() == org.datasandbox.masking.function.ValueType.DATE
                || c.type() == org.datasandbox.masking.function.ValueType.BOOLEAN).toList();
        double[] ca = correlations(originals, numeric);
        double[] cb = correlations(sample, numeric);
        Map<String, Double> correlations = new LinkedHashMap<>();
        int p = 0;
        for (int i = 0; i < numeric.size(); i++) {
            for (int j = i + 1; j < numeric.size(); j++, p++) {
                // a constant column has no correlation: compare with 0, what it carries of the other
                double x = Double.isNaN(ca[p]) ? 0 : ca[p];
                double y = Double.isNaN(cb[p]) ? 0 : cb[p];
                correlations.put(numeric.get(i).name() + " ~ " + numeric.get(j).name(), round(Math.abs(x - y)));
            }
        }
        return new FidelityEvaluation(oneWay, twoWay, correlations);
    }

    /** Pearson correlation of every two columns over rows where both have a value; NaN when one is constant. */
    private static double[] correlations(Dataset<Row> data, List<SampleColumn> numeric) {
        int m = numeric.size();
        List<Column> sums = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            for (int j = i + 1; j < m; j++) {
                Column x = number(numeric.get(i));
                Column y = number(numeric.get(j));
                Column both = x.isNotNull().and(y.isNotNull());
                Column xs = when(both, x);
                Column ys = when(both, y);
                sums.addAll(List.of(count(xs), sum(xs), sum(ys), sum(xs.multiply(xs)), sum(ys.multiply(ys)), sum(xs.multiply(ys))));
            }
        }
        double[] result = new double[m * (m - 1) / 2];
        if (sums.isEmpty()) {
            return result;
        }
        Row row = data.agg(sums.get(0), sums.subList(1, sums.size()).toArray(Column[]::new)).first();
        for (int p = 0; p < result.length; p++) {
            double n = row.getLong(6 * p);
            double sx = row.isNullAt(6 * p + 1) ? 0 : row.getDouble(6 * p + 1);
            double sy = row.isNullAt(6 * p + 2) ? 0 : row.getDouble(6 * p + 2);
            double sxx = row.isNullAt(6 * p + 3) ? 0 : row.getDouble(6 * p + 3);
            double syy = row.isNullAt(6 * p + 4) ? 0 : row.getDouble(6 * p + 4);
            double sxy = row.isNullAt(6 * p + 5) ? 0 : row.getDouble(6 * p + 5);
            double vx = n * sxx - sx * sx;
            double vy = n * syy - sy * sy;
            result[p] = n < 2 || vx <= 1e-12 * Math.max(1, n * sxx) || vy <= 1e-12 * Math.max(1, n * syy)
                    ? Double.NaN : (n * sxy - sx * sy) / Math.sqrt(vx * vy);
        }
        return result;
    }

    private static Column number(SampleColumn column) {
        Column value = col(column.name());
        if (column.type() == org.datasandbox.masking.function.ValueType.DATE) {
            return datediff(value, lit(java.time.LocalDate.EPOCH)).cast("double");
        }
        return value.cast("double");
    }

    /** Counts of key pairs {@code [i][j]} (i <= j; [i][i] are the 1-way counts), in one pass. */
    @SuppressWarnings("unchecked")
    private static Map<String, Long>[][] pairCounts(Dataset<Row> data, List<SampleColumn> compared) {
        int m = compared.size();
        Map<String, Long>[][] counts = new Map[m][m];
        for (int i = 0; i < m; i++) {
            for (int j = i; j < m; j++) {
                counts[i][j] = new HashMap<>();
            }
        }
        if (m == 0) {
            return counts;
        }
        List<Column> keys = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            keys.add(SampleReports.key(compared.get(i)).as("k" + i));
        }
        StringBuilder stack = new StringBuilder("stack(").append(m * (m + 1) / 2);
        for (int i = 0; i < m; i++) {
            for (int j = i; j < m; j++) {
                stack.append(", ").append(i * m + j).append(", k").append(i).append(", k").append(j);
            }
        }
        stack.append(") AS (p, a, b)");
        for (Row row : data.select(keys.toArray(Column[]::new)).selectExpr(stack.toString()).groupBy("p", "a", "b").count()
                .collectAsList()) {
            int p = row.getInt(0);
            counts[p / m][p % m].merge(row.getString(1) + "\u0001" + row.getString(2), row.getLong(3), Long::sum);
        }
        return counts;
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

    private static double mean(Map<String, Double> values) {
        return values.values().stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
