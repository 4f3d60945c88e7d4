package org.datasandbox.sample.synthetic;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.storage.StorageLevel;
import org.datasandbox.dp.aggregation.DpHistogram;
import org.datasandbox.dp.budget.PrivacyBudget;
import org.datasandbox.dp.noise.RandomSource;
import org.datasandbox.masking.MaskingException;
import org.datasandbox.sample.SampleColumn.Kind;
import org.datasandbox.sample.SampleColumn;
import org.datasandbox.sample.sampling.SparkValueTypes;

/**
 * Synthetic samples: a DP model is fitted inside Spark on the originals ({@link #fit}), rows are drawn
 * from the model alone ({@link #generate}), and rows that happen to equal an original on every modelled
 * column are removed ({@link #withoutCopies}).
 *
 * <p>Budget of one table's model: 40% for the per-column histograms and the rows-per-unit histogram,
 * 10% for choosing the dependency tree, 50% for the pairwise tables (all of it for the histograms when
 * fewer than two columns are modelled). Every count has one row per privacy unit, so its sensitivity
 * is one; the rows-per-unit histogram counts each unit once.
 */
public final class SyntheticSampleGenerator {
    private static final String UNIT_ROW = "__unit_row";
    // PrivBayes's 0.3 for the structure was tried on patients at epsilon 1: correlations a little closer,
    // column distributions visibly further; the histograms keep the larger share
    private static final BigDecimal MARGINALS_SHARE = new BigDecimal("0.4");
    private static final BigDecimal STRUCTURE_SHARE = new BigDecimal("0.1");
    private static final BigDecimal CONDITIONALS_SHARE = new BigDecimal("0.5");

    private SyntheticSampleGenerator() {
    }

    public static SyntheticModel fit(Dataset<Row> originals, List<SampleColumn> columns, SyntheticSpec spec,
                                     RandomSource random) {
        SampleColumn unit = check(originals, columns);
        List<Integer> modelled = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).modelled()) {
                modelled.add(i);
            }
        }
        int m = modelled.size();
        PrivacyBudget budget = PrivacyBudget.of(spec.epsilon());
        BigDecimal histograms = m >= 2 ? spec.epsilon().multiply(MARGINALS_SHARE) : spec.epsilon();
        BigDecimal perHistogram = PrivacyBudget.share(histograms, m + 1L);

        double[] rowsPerUnit = rowsPerUnit(originals, unit, spec, budget.spend(perHistogram), random);
        double units = rowsPerUnit[rowsPerUnit.length - 1];
        rowsPerUnit = java.util.Arrays.copyOf(rowsPerUnit, rowsPerUnit.length - 1);

        Dataset<Row> bounded = oneRowPerUnit(originals, unit).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Marginal[] marginals = new Marginal[columns.size()];
            Map<Integer, Map<String, Long>> counts = histogramCounts(bounded, columns, modelled);
            for (int i : modelled) {
                SampleColumn column = columns.get(i);
                BigDecimal epsilon = budget.spend(perHistogram);
                Map<String, Long> columnCounts = counts.getOrDefault(i, Map.of());
                if (column.kind() == Kind.CATEGORICAL) {
                    marginals[i] = CategoricalMarginal.fit(column, columnCounts, spec, epsilon, random);
                } else {
                    Map<Integer, Long> leaves = new HashMap<>();
                    long nulls = 0;
                    for (Map.Entry<String, Long> e : columnCounts.entrySet()) {
                        if (e.getKey().equals(CategoricalMarginal.NULL_KEY)) {
                            nulls += e.getValue();
                        } else {
                            leaves.merge(Integer.parseInt(e.getKey()), e.getValue(), Long::sum);
                        }
                    }
                    marginals[i] = NumericMarginal.fit(column, leaves, nulls, spec.maxCategories() - 1, epsilon, random);
                }
            }
            DependencyModel dependencies = null;
            if (m >= 2) {
                BigDecimal selection = budget.spend(PrivacyBudget.share(spec.epsilon().multiply(STRUCTURE_SHARE), m - 1L));
                BigDecimal conditional = PrivacyBudget.share(spec.epsilon().multiply(CONDITIONALS_SHARE), m - 1L);
                for (int step = 2; step < m; step++) {
                    budget.spend(selection);
                }
                for (int step = 1; step < m; step++) {
                    budget.spend(conditional);
                }
                List<Marginal> list = modelled.stream().map(i -> marginals[i]).toList();
                long[][][][] pairs = pairCounts(bounded, columns, modelled, list);
                dependencies = DependencyModel.fit(list, pairs, units, selection, conditional, random);
            }
            return new SyntheticModel(columns, marginals, dependencies, rowsPerUnit, units, budget.spent());
        } finally {
            bounded.unpersist();
        }
    }

    /**
     * Draws the rows of {@code units} privacy units, numbered 1 to {@code units} in the privacy-unit
     * column: a table linked to another one by privacy unit, generated with the other's number of units,
     * points only at units of the other's sample.
     *
     * @param withRows share of units that have rows at all (1 for the table that defines the units)
     */
    public static Dataset<Row> generate(SparkSession spark, SyntheticModel model, long units, double withRows, long seed) {
        if (units < 1) {
            throw new IllegalArgumentException("units must be >= 1. Provided value: " + units);
        }
        // one task per core at most: each task opens a Parquet writer per column, and more tasks only add buffers
        int partitions = (int) Math.max(1, Math.min(spark.sparkContext().defaultParallelism(), units / 50_000));
        return spark.range(0, units, 1, partitions).flatMap(
                (FlatMapFunction<Long, Row>) unit -> model.rowsOf(unit, seed, withRows).iterator(),
                Encoders.row(model.schema()));
    }

    /** Removes rows equal to some original on every modelled column: no original record is ever copied. */
    public static Dataset<Row> withoutCopies(Dataset<Row> synthetic, Dataset<Row> originals, SyntheticModel model) {
        List<String> names = model.columns().stream().filter(SampleColumn::modelled).map(SampleColumn::name).toList();
        if (names.isEmpty()) {
            return synthetic;
        }
        Dataset<Row> known = originals.select(names.stream().map(n -> col(n).as("o_" + n)).toArray(Column[]::new)).distinct();
        Column same = lit(true);
        for (String name : names) {
            same = same.and(synthetic.col(name).eqNullSafe(known.col("o_" + name)));
        }
        return synthetic.join(known, same, "left_anti");
    }

    private static SampleColumn check(Dataset<Row> originals, List<SampleColumn> columns) {
        List<SampleColumn> units = columns.stream().filter(c -> c.kind() == Kind.PRIVACY_UNIT).toList();
        if (units.size() != 1) {
            throw new IllegalArgumentException("a synthetic sample needs exactly one privacy-unit column, not " + units.size());
        }
        for (SampleColumn column : columns) {
            StructField field = java.util.Arrays.stream(originals.schema().fields())
                    .filter(f -> f.name().equals(column.name())).findFirst()
                    .orElseThrow(() -> new MaskingException("the table has no column " + column.name()));
            if (SparkValueTypes.of(field.dataType()).orElse(null) != column.type()) {
                throw new MaskingException("column " + column.name() + " is not of type " + column.type());
            }
        }
        SyntheticModel.unitValue(units.get(0), 0); // refuses unit types it cannot number
        return units.get(0);
    }

    /** One row of each privacy unit, picked by a hash of its content: what bounds every count to one. */
    private static Dataset<Row> oneRowPerUnit(Dataset<Row> originals, SampleColumn unit) {
        Column[] all = java.util.Arrays.stream(originals.columns()).map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
        return originals.where(col(unit.name()).isNotNull())
                .withColumn(UNIT_ROW, row_number().over(Window.partitionBy(col(unit.name())).orderBy(xxhash64(all))))
                .where(col(UNIT_ROW).equalTo(1)).drop(UNIT_ROW);
    }

    /**
     * Noisy weights of 1..maxRowsPerUnit rows per unit (clamped), with the noisy number of units appended.
     * Counts that noise alone reaches with probability below one in a hundred thousand are zeroed
     * (post-processing), or a table with one row per person would get a few people with many rows.
     */
    private static double[] rowsPerUnit(Dataset<Row> originals, SampleColumn unit, SyntheticSpec spec,
                                        BigDecimal epsilon, RandomSource random) {
        int max = spec.maxRowsPerUnit();
        List<Row> counts = originals.where(col(unit.name()).isNotNull()).groupBy(col(unit.name())).count()
                .select(least(col("count"), lit((long) max)).as("rows")).groupBy("rows").count().collectAsList();
        DpHistogram<Integer> histogram = DpHistogram.<Integer>builder().epsilon(epsilon)
                .domain(DpHistogram.Domain.PUBLIC).random(random).build();
        long[] exact = new long[max + 1];
        for (Row row : counts) {
            exact[(int) row.getLong(0)] += row.getLong(1);
        }
        for (int k = 1; k <= max; k++) {
            histogram.add(k, exact[k]);
        }
        Map<Integer, Long> noisy = histogram.result();
        double floor = Math.log(1e5 * max) / epsilon.doubleValue();
        double[] weights = new double[max + 1];
        for (int k = 1; k <= max; k++) {
            long value = noisy.get(k);
            weights[max] += value;
            weights[k - 1] = value < floor && k > 1 ? 0 : value;
        }
        return weights;
    }

    /** True counts per counting key of every modelled column, in one pass over the data. */
    private static Map<Integer, Map<String, Long>> histogramCounts(Dataset<Row> bounded, List<SampleColumn> columns,
                                                                    List<Integer> modelled) {
        Map<Integer, Map<String, Long>> counts = new HashMap<>();
        if (modelled.isEmpty()) {
            return counts;
        }
        List<Column> keys = new ArrayList<>();
        StringBuilder stack = new StringBuilder("stack(").append(modelled.size());
        for (int i : modelled) {
            SampleColumn column = columns.get(i);
            Column value = col(column.name());
            Column key = column.kind() == Kind.CATEGORICAL ? CategoricalMarginal.key(value)
                    : when(value.isNull(), lit(CategoricalMarginal.NULL_KEY))
                            .otherwise(NumericMarginal.Grid.of(column).leaf(value).cast("string"));
            keys.add(key.as("k" + i));
            stack.append(", ").append(i).append(", k").append(i);
        }
        stack.append(") AS (c, k)");
        for (Row row : bounded.select(keys.toArray(Column[]::new)).selectExpr(stack.toString())
                .groupBy("c", "k").count().collectAsList()) {
            counts.computeIfAbsent(row.getInt(0), c -> new HashMap<>()).put(row.getString(1), row.getLong(2));
        }
        return counts;
    }

    /** True counts of bin pairs of every two modelled columns, in one pass: {@code [i][j][a][b]}, i < j. */
    private static long[][][][] pairCounts(Dataset<Row> bounded, List<SampleColumn> columns, List<Integer> modelled,
                                           List<Marginal> marginals) {
        int m = modelled.size();
        List<Column> bins = new ArrayList<>();
        for (int p = 0; p < m; p++) {
            bins.add(marginals.get(p).bin(col(columns.get(modelled.get(p)).name())).as("b" + p));
        }
        long[][][][] pairs = new long[m][m][][];
        StringBuilder stack = new StringBuilder("stack(").append(m * (m - 1) / 2);
        for (int i = 0; i < m; i++) {
            for (int j = i + 1; j < m; j++) {
                pairs[i][j] = new long[marginals.get(i).bins()][marginals.get(j).bins()];
                stack.append(", ").append(i * m + j).append(", b").append(i).append(", b").append(j);
            }
        }
        stack.append(") AS (p, a, b)");
        for (Row row : bounded.select(bins.toArray(Column[]::new)).selectExpr(stack.toString())
                .groupBy("p", "a", "b").count().collectAsList()) {
            int p = row.getInt(0);
            pairs[p / m][p % m][row.getInt(1)][row.getInt(2)] = row.getLong(3);
        }
        return pairs;
    }
}
