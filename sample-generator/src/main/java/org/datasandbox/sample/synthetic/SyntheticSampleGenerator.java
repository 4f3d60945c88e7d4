package org.datasandbox.sample.synthetic;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.xxhash64;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
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
import org.datasandbox.masking.function.ValueType;
import org.datasandbox.sample.SampleColumn.Kind;
import org.datasandbox.sample.SampleColumn;
import org.datasandbox.sample.sampling.SparkValueTypes;

/**
 * Synthetic samples: a DP model is fitted inside Spark on the originals ({@link #fit}) and rows are drawn
 * from the model alone ({@link #generate}). Nothing else looks at the originals: no filter compares the
 * sample with them (a filter that drops rows equal to an original would tell, by a likely row's absence,
 * that someone holds it), and a synthetic sample's report is computed from the model and the sample.
 *
 * <p>The model is MST's select-measure-generate ({@link SpanningTree}) over cells fixed by the policy
 * (bounds, declared values) or by partition selection. Budget of one table's model, with one row per
 * privacy unit so that every count has sensitivity one: {@value #ONE_WAY_PERCENT}% for the 1-way marginals
 * and the rows-per-unit histogram (equal shares), {@value #SELECTION_PERCENT}% for choosing the tree (equal
 * shares per round), the rest for the tree's 2-way marginals (equal shares); all of it for the 1-way
 * marginals when fewer than two columns are modelled. Delta is split equally over the category columns
 * without a public domain, the only steps that need it.
 */
public final class SyntheticSampleGenerator {
    private static final String UNIT_ROW = "__unit_row";
    static final int ONE_WAY_PERCENT = 50;
    static final int SELECTION_PERCENT = 10;
    private static final BigDecimal ONE_WAY = BigDecimal.valueOf(ONE_WAY_PERCENT, 2);
    private static final BigDecimal SELECTION = BigDecimal.valueOf(SELECTION_PERCENT, 2);
    private static final BigDecimal TWO_WAY = BigDecimal.ONE.subtract(ONE_WAY).subtract(SELECTION);
    /** At most this many categories of a column are released, the most common ones. */
    static final int MAX_CATEGORIES = 1000;
    static final double NOISE_FLOOR_SCALES = 2;

    private SyntheticSampleGenerator() {
    }

    /** The epsilon of each 1-way marginal (and of the rows-per-unit histogram) for {@code modelled} columns. */
    static BigDecimal perMarginal(SyntheticSpec spec, int modelled) {
        BigDecimal share = modelled >= 2 ? spec.epsilon().multiply(ONE_WAY) : spec.epsilon();
        return PrivacyBudget.share(share, modelled + 1L);
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
        CostAccount account = new CostAccount(spec);
        BigDecimal perMarginal = perMarginal(spec, m);
        long selecting = modelled.stream().map(columns::get)
                .filter(c -> c.kind() == Kind.CATEGORICAL && c.publicDomain().isEmpty()).count();
        double deltaPerSelection = selecting == 0 ? 0 : spec.delta() / selecting;

        double[] rowsPerUnit = rowsPerUnit(originals, unit, spec, account.spend("rows per person", perMarginal), random);
        double units = rowsPerUnit[rowsPerUnit.length - 1];
        rowsPerUnit = java.util.Arrays.copyOf(rowsPerUnit, rowsPerUnit.length - 1);

        Dataset<Row> bounded = oneRowPerUnit(originals, unit).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Marginal[] marginals = new Marginal[columns.size()];
            Map<Integer, Map<String, Long>> counts = keyCounts(bounded, columns, modelled);
            for (int i : modelled) {
                SampleColumn column = columns.get(i);
                Map<String, Long> columnCounts = counts.getOrDefault(i, Map.of());
                boolean selects = column.kind() == Kind.CATEGORICAL && column.publicDomain().isEmpty();
                BigDecimal epsilon = account.spend("1-way marginal of " + column.name()
                        + (selects ? " with partition selection" : ""), perMarginal, selects ? deltaPerSelection : 0);
                marginals[i] = column.kind() == Kind.CATEGORICAL
                        ? categories(column, columnCounts, spec, epsilon, deltaPerSelection, units, random)
                        : numbers(column, columnCounts, spec, epsilon, random);
            }
            SpanningTree tree = null;
            if (m >= 2) {
                List<Marginal> list = modelled.stream().map(i -> marginals[i]).toList();
                long[][][][] pairs = pairCounts(bounded, columns, modelled, list);
                BigDecimal perRound = PrivacyBudget.share(spec.epsilon().multiply(SELECTION), m - 1L);
                BigDecimal perPair = PrivacyBudget.share(spec.epsilon().multiply(TWO_WAY), m - 1L);
                for (int round = 1; round < m; round++) {
                    account.spend("tree selection round " + round, perRound);
                }
                List<int[]> edges = SpanningTree.select(list, pairs, perRound, random);
                for (int[] edge : edges) {
                    account.spend("2-way marginal of " + columns.get(modelled.get(edge[0])).name() + " and "
                            + columns.get(modelled.get(edge[1])).name(), perPair);
                }
                tree = SpanningTree.measure(list, pairs, edges, perPair, random);
            }
            return new SyntheticModel(columns, marginals, tree, rowsPerUnit, units, account.cost(), spec);
        } finally {
            bounded.unpersist();
        }
    }

    /**
     * A noisy count of a public cell, zeroed when noise alone would reach it often (below
     * {@value #NOISE_FLOOR_SCALES} noise scales): an empty cell then holds no made-up rows, at the price of
     * cells truly that small (post-processing).
     */
    static double withoutNoiseFloor(long noisy, BigDecimal epsilon) {
        return noisy < NOISE_FLOOR_SCALES / epsilon.doubleValue() ? 0 : noisy;
    }

    /** A numeric column's cells over its bounds, all counted with noise. */
    private static Marginal numbers(SampleColumn column, Map<String, Long> counts, SyntheticSpec spec, BigDecimal epsilon,
                                    RandomSource random) {
        NumericCells cells = NumericCells.of(column);
        DpHistogram<Integer> histogram = DpHistogram.<Integer>builder().epsilon(epsilon)
                .domain(DpHistogram.Domain.PUBLIC).random(random).build();
        for (int c = 0; c < cells.size(); c++) {
            histogram.add(c, counts.getOrDefault(Integer.toString(c), 0L));
        }
        Map<Integer, Long> noisy = histogram.result();
        double[] weights = new double[cells.size()];
        noisy.forEach((c, count) -> weights[c] = withoutNoiseFloor(count, epsilon));
        return new Marginal(cells, weights, 1 / epsilon.doubleValue(), spec.maxCategories(), "");
    }

    /**
     * A category column's cells: its public domain counted with noise, or else the categories whose noisy
     * count clears the partition-selection threshold for {@code delta} (the most common
     * {@value #MAX_CATEGORIES} of them at most). Values outside the cells are counted in the last cell,
     * which is never drawn.
     */
    private static Marginal categories(SampleColumn column, Map<String, Long> counts, SyntheticSpec spec,
                                       BigDecimal epsilon, double delta, double units, RandomSource random) {
        List<String> domain = column.publicDomain();
        boolean selects = domain.isEmpty();
        DpHistogram<String> histogram = DpHistogram.<String>builder().epsilon(epsilon)
                .domain(selects ? DpHistogram.Domain.DATA : DpHistogram.Domain.PUBLIC)
                .delta(selects ? delta : spec.delta()).random(random).build();
        histogram.addPublic(CategoryCells.NULL_KEY, counts.getOrDefault(CategoryCells.NULL_KEY, 0L));
        if (selects) {
            counts.forEach((key, count) -> {
                if (!key.equals(CategoryCells.NULL_KEY)) {
                    histogram.add(key, count);
                }
            });
        } else {
            domain.forEach(key -> histogram.add(key, counts.getOrDefault(key, 0L)));
        }
        Map<String, Long> noisy = histogram.result();
        List<Map.Entry<String, Long>> released = new ArrayList<>(noisy.entrySet().stream()
                .filter(e -> !e.getKey().equals(CategoryCells.NULL_KEY)).toList());
        if (selects) {
            released.removeIf(e -> e.getValue() <= 0);
        } else {
            released.replaceAll(e -> Map.entry(e.getKey(), (long) withoutNoiseFloor(e.getValue(), epsilon)));
            released.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
            released = released.subList(0, Math.min(MAX_CATEGORIES, released.size()));
        }
        CategoryCells cells = new CategoryCells(column.type(), released.stream().map(Map.Entry::getKey).toList());
        double[] weights = new double[cells.size()];
        weights[0] = withoutNoiseFloor(noisy.getOrDefault(CategoryCells.NULL_KEY, 0L), epsilon);
        double known = weights[0];
        for (int c = 0; c < released.size(); c++) {
            weights[c + 1] = released.get(c).getValue();
            known += weights[c + 1];
        }
        if (selects) {
            // the rows of categories not released: the noisy number of people less the released counts
            // (post-processing), kept so that the column's rows stay consistent with the other columns
            // zeroed below two standard deviations of the noise of the counts it adds up (k + 2 of them)
            double other = units - known;
            double floor = NOISE_FLOOR_SCALES * Math.sqrt(2.0 * (released.size() + 2)) / epsilon.doubleValue();
            weights[cells.other()] = other < floor ? 0 : other;
        }
        String note = "";
        if (released.isEmpty()) {
            note = selects ? "no category is held by enough people to be released (partition selection): "
                    + (column.type() == ValueType.STRING ? "every value is \"" + CategoryCells.OTHER + "\"" : "the column is empty")
                    + "; declaring its values in the policy would keep them" : "no category: the column is empty";
        } else if (selects) {
            note = "only categories held by enough people are released (partition selection); rarer ones never appear"
                    + (column.type() == ValueType.STRING ? " and are drawn as \"" + CategoryCells.OTHER + "\"" : " and are drawn as no value");
        }
        return new Marginal(cells, weights, 1 / epsilon.doubleValue(), spec.maxCategories(), note);
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
            weights[k - 1] = value < floor && k > 1 ? 0 : value;
            weights[max] += weights[k - 1]; // the zeroed counts are noise: they would only bias the number of units up
        }
        return weights;
    }

    /** True counts per counting key of every modelled column (a category, or a cell of numbers), in one pass. */
    private static Map<Integer, Map<String, Long>> keyCounts(Dataset<Row> bounded, List<SampleColumn> columns,
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
            Column key = column.kind() == Kind.CATEGORICAL ? CategoryCells.key(value)
                    : NumericCells.of(column).cell(value).cast("string");
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

    /** True counts of group pairs of every two modelled columns, in one pass: {@code [i][j][a][b]}, i < j. */
    private static long[][][][] pairCounts(Dataset<Row> bounded, List<SampleColumn> columns, List<Integer> modelled,
                                           List<Marginal> marginals) {
        int m = modelled.size();
        List<Column> groups = new ArrayList<>();
        for (int p = 0; p < m; p++) {
            Marginal marginal = marginals.get(p);
            Column[] map = java.util.Arrays.stream(marginal.groupMap()).mapToObj(g -> lit(g)).toArray(Column[]::new);
            Column cell = marginal.cells().cell(col(columns.get(modelled.get(p)).name()));
            groups.add(element_at(array(map), cell.plus(lit(1))).as("g" + p));
        }
        long[][][][] pairs = new long[m][m][][];
        StringBuilder stack = new StringBuilder("stack(").append(m * (m - 1) / 2);
        for (int i = 0; i < m; i++) {
            for (int j = i + 1; j < m; j++) {
                pairs[i][j] = new long[marginals.get(i).groups()][marginals.get(j).groups()];
                stack.append(", ").append(i * m + j).append(", g").append(i).append(", g").append(j);
            }
        }
        stack.append(") AS (p, a, b)");
        for (Row row : bounded.select(groups.toArray(Column[]::new)).selectExpr(stack.toString())
                .groupBy("p", "a", "b").count().collectAsList()) {
            int p = row.getInt(0);
            pairs[p / m][p % m][row.getInt(1)][row.getInt(2)] = row.getLong(3);
        }
        return pairs;
    }
}
