package org.datasandbox.core.dprelease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.datasandbox.core.TestSandbox;
import org.datasandbox.guard.QueryGuard;
import org.datasandbox.guard.catalog.Bounds;
import org.datasandbox.guard.catalog.ColumnRole;
import org.datasandbox.guard.catalog.ColumnType;
import org.datasandbox.guard.catalog.ContributionBounds;
import org.datasandbox.guard.catalog.GuardCatalog;
import org.datasandbox.guard.catalog.GuardColumn;
import org.datasandbox.guard.catalog.GuardTable;
import org.datasandbox.guard.catalog.JoinKey;
import org.datasandbox.guard.catalog.OutputMode;
import org.datasandbox.guard.catalog.Scenario;
import org.datasandbox.guard.dp.DpAggregate;
import org.datasandbox.guard.dp.DpQuery;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The streaming bounding against the rewrite's SQL path as the independent reference, on generated tables (several
 * keys of two types with NULLs, units with many groups and rows, small L0 and Linf, fresh salts): over rows laid out
 * by the unit its partials equal the SQL path's (counts exactly, sums to rounding: the two paths add the same
 * per-unit partials in another order); over rows whose units are split across partitions or runs it either equals
 * the SQL path (the split happened to keep each unit whole) or throws {@link LayoutViolation}, never a partial
 * bounded per piece.
 */
class StreamingUnitBoundingTest {
    static final int TABLES = Integer.getInteger("dp.streaming.tables", 12);
    static final int PARTITIONS = 4;
    static final List<String> QUERIES = List.of(
            "SELECT a, b, COUNT(*) AS n, COUNT(DISTINCT pid) AS u, SUM(x) AS s, AVG(x) AS m FROM g GROUP BY a, b",
            "SELECT b, COUNT(x) AS n, SUM(x) AS s FROM g WHERE x > 10 GROUP BY b",
            "SELECT COUNT(*) AS n, AVG(x) AS m FROM g");

    private static SparkSession spark;

    @BeforeAll
    static void session() {
        TestSandbox.get();
        spark = SparkSession.builder().getOrCreate().newSession();
        spark.conf().set("spark.sql.shuffle.partitions", "4"); // tiny tables
    }

    @Test
    void partials_generatedTablesLaidOutByUnit_equalSqlPath() {
        SplittableRandom random = new SplittableRandom(20);
        int groups = 0;
        for (int t = 0; t < TABLES; t++) {
            table(random);
            ContributionBounds bounds = new ContributionBounds(1 + random.nextInt(3), 1 + random.nextInt(3));
            for (String sql : QUERIES) {
                DpQuery query = dpQuery(sql, bounds, random.nextLong());
                Dataset<Row> rows = spark.sql(query.unitRows().orElseThrow().sparkSql());
                Dataset<Row> laidOut = rows.repartition(PARTITIONS, functions.col("__dp_unit"))
                        .sortWithinPartitions("__dp_unit");
                Map<List<Object>, List<Double>> expected = byGroup(spark.sql(query.sparkSql()), query);
                assertThat(byGroup(StreamingUnitBounding.partials(query, laidOut, PARTITIONS), query))
                        .as("table %d, %s, %s", t, bounds, sql).isEqualTo(expected);
                groups += expected.size();
            }
        }
        System.out.printf("streaming bounding oracle: %d tables x %d queries, %d groups equal to the SQL path%n",
                TABLES, QUERIES.size(), groups);
        assertThat(groups).isGreaterThan(TABLES * QUERIES.size());
    }

    @Test
    void partials_unitsSplitAcrossPartitionsOrRuns_equalSqlPathOrViolateLayout() {
        SplittableRandom random = new SplittableRandom(21);
        int equal = 0;
        int refused = 0;
        for (int t = 0; t < TABLES; t++) {
            table(random);
            ContributionBounds bounds = new ContributionBounds(1 + random.nextInt(2), 1 + random.nextInt(2));
            DpQuery query = dpQuery(QUERIES.get(0), bounds, random.nextLong());
            Dataset<Row> rows = spark.sql(query.unitRows().orElseThrow().sparkSql());
            // some rows sent to another unit's partition, or the partitions not sorted
            Dataset<Row> split = t % 2 == 0
                    ? rows.withColumn("dest", functions.expr("CASE WHEN rand(" + t + ") < 0.1 THEN __dp_unit + 1 "
                            + "ELSE __dp_unit END")).repartition(PARTITIONS, functions.col("dest"))
                            .sortWithinPartitions("__dp_unit").drop("dest")
                    : rows.repartition(PARTITIONS, functions.col("__dp_unit"));
            Map<List<Object>, List<Double>> expected = byGroup(spark.sql(query.sparkSql()), query);
            try {
                assertThat(byGroup(StreamingUnitBounding.partials(query, split, PARTITIONS), query)).isEqualTo(expected);
                equal++;
            } catch (Exception e) { // Spark rethrows a task's failure as a checked SparkException
                assertThat(LayoutViolation.causes(e)).as("table %d: %s", t, e).isTrue();
                refused++;
            }
        }
        System.out.printf("split layouts: %d equal to the SQL path, %d refused%n", equal, refused);
        assertThat(refused).isGreaterThan(TABLES / 4);
    }

    /**
     * Many groups, each in several partitions (every unit in up to six of 3,000 groups): the combine of the
     * per-partition partials adds a group's partials from every partition, as the SQL path does.
     */
    @Test
    void partials_manyGroupsSpreadOverPartitions_equalSqlPath() {
        SplittableRandom random = new SplittableRandom(25);
        List<Row> rows = new ArrayList<>();
        for (long pid = 1; pid <= 4_000; pid++) {
            int count = 1 + random.nextInt(6);
            for (int r = 0; r < count; r++) {
                rows.add(RowFactory.create(pid, "k" + random.nextInt(3_000), random.nextInt(3), 100 * random.nextDouble()));
            }
        }
        spark.createDataFrame(rows, DataTypes.createStructType(List.of(
                DataTypes.createStructField("pid", DataTypes.LongType, true),
                DataTypes.createStructField("a", DataTypes.StringType, true),
                DataTypes.createStructField("b", DataTypes.IntegerType, true),
                DataTypes.createStructField("x", DataTypes.DoubleType, true)))).createOrReplaceTempView("g");
        DpQuery query = dpQuery("SELECT a, COUNT(*) AS n, SUM(x) AS s, AVG(x) AS m FROM g GROUP BY a",
                new ContributionBounds(4, 2), 11);
        Dataset<Row> laidOut = spark.sql(query.unitRows().orElseThrow().sparkSql())
                .repartition(PARTITIONS, functions.col("__dp_unit")).sortWithinPartitions("__dp_unit");
        laidOut.createOrReplaceTempView("laid_out");
        long inSeveral = spark.sql("SELECT COUNT(*) FROM (SELECT __dp_key0 FROM laid_out GROUP BY __dp_key0 "
                + "HAVING COUNT(DISTINCT pmod(hash(__dp_unit), " + PARTITIONS + ")) > 1)").first().getLong(0);
        Map<List<Object>, List<Double>> expected = byGroup(spark.sql(query.sparkSql()), query);
        assertThat(expected).hasSizeGreaterThan(2_500);
        assertThat(inSeveral).as("groups in several partitions").isGreaterThan(2_000);

        assertThat(byGroup(StreamingUnitBounding.partials(query, laidOut, PARTITIONS), query)).isEqualTo(expected);
    }

    @Test
    void partials_wrongPartitionCount_violatesLayout() {
        table(new SplittableRandom(22));
        DpQuery query = dpQuery(QUERIES.get(0), new ContributionBounds(2, 2), 7);
        Dataset<Row> rows = spark.sql(query.unitRows().orElseThrow().sparkSql())
                .repartition(PARTITIONS, functions.col("__dp_unit")).sortWithinPartitions("__dp_unit");

        assertThatThrownBy(() -> StreamingUnitBounding.partials(query, rows, PARTITIONS + 1).collectAsList())
                .satisfies(e -> assertThat(LayoutViolation.causes(e)).isTrue());
    }

    @Test
    void clusteredPartitions_shuffledOrUnpartitionedRows_areNotTaken() {
        table(new SplittableRandom(23));
        DpQuery query = dpQuery(QUERIES.get(0), new ContributionBounds(2, 2), 7);
        Dataset<Row> rows = spark.sql(query.unitRows().orElseThrow().sparkSql());

        assertThat(StreamingUnitBounding.clusteredPartitions(rows, 2)).isEmpty();
        assertThat(StreamingUnitBounding.clusteredPartitions(rows.repartition(PARTITIONS, functions.col("__dp_unit")), 2))
                .isEmpty(); // its exchange is in the plan
        assertThat(StreamingUnitBounding.partials(query, sql -> rows)).isEmpty();
    }

    @Test
    void unitRows_quantileQuery_isEmptySoSqlPathOnly() {
        table(new SplittableRandom(24));
        assertThat(dpQuery("SELECT a, MAX(x) AS top FROM g GROUP BY a", new ContributionBounds(2, 2), 1).unitRows())
                .isEmpty();
    }

    /** A generated table g(pid, a STRING, b INT, x DOUBLE): units with 1 to 12 rows over few groups, NULLs. */
    private static void table(SplittableRandom random) {
        List<Row> rows = new ArrayList<>();
        int units = 5 + random.nextInt(40);
        for (long pid = 1; pid <= units; pid++) {
            int count = 1 + random.nextInt(12);
            for (int r = 0; r < count; r++) {
                String a = random.nextInt(8) == 0 ? null : "a" + random.nextInt(4);
                Integer b = random.nextInt(8) == 0 ? null : random.nextInt(3);
                Double x = random.nextInt(6) == 0 ? null : -20 + 140 * random.nextDouble();
                rows.add(RowFactory.create(random.nextInt(30) == 0 ? null : pid, a, b, x));
            }
        }
        spark.createDataFrame(rows, DataTypes.createStructType(List.of(
                DataTypes.createStructField("pid", DataTypes.LongType, true),
                DataTypes.createStructField("a", DataTypes.StringType, true),
                DataTypes.createStructField("b", DataTypes.IntegerType, true),
                DataTypes.createStructField("x", DataTypes.DoubleType, true)))).createOrReplaceTempView("g");
    }

    private static DpQuery dpQuery(String sql, ContributionBounds bounds, long seed) {
        Scenario scenario = new Scenario("streaming", Map.of("g", Set.of("pid", "a", "b", "x")), OutputMode.DP, 10,
                Scenario.SmallGroups.SUPPRESS, bounds);
        return new QueryGuard(CATALOG, new SplittableRandom(seed)).check(sql, scenario).dpQuery().orElseThrow();
    }

    /** Group keys to every partial (NULL as 0, as the noiser reads it), sums rounded to 9 significant digits. */
    static Map<List<Object>, List<Double>> byGroup(Dataset<Row> frame, DpQuery query) {
        Map<List<Object>, List<Double>> out = new HashMap<>();
        for (Row row : frame.collectAsList()) {
            List<Object> key = new ArrayList<>();
            for (String k : query.groupKeys()) {
                key.add(row.get(row.fieldIndex(k)));
            }
            List<Double> values = new ArrayList<>();
            for (DpAggregate aggregate : query.aggregates()) {
                for (String column : aggregate.partialColumns()) {
                    Object cell = row.get(row.fieldIndex(column));
                    double value = cell == null ? 0 : ((Number) cell).doubleValue();
                    values.add(value == 0 ? 0 : Double.parseDouble(String.format(java.util.Locale.ROOT, "%.9g", value)));
                }
            }
            values.add(((Number) row.get(row.fieldIndex(query.unitCountColumn()))).doubleValue());
            assertThat(out.put(key, values)).as("one row per group").isNull();
        }
        return out;
    }

    static final GuardCatalog CATALOG = new GuardCatalog() {
        @Override
        public Optional<GuardTable> table(String name) {
            return name.equalsIgnoreCase("g") ? Optional.of(new GuardTable("g", List.of(
                    GuardColumn.of("pid", ColumnType.BIGINT, ColumnRole.PRIVACY_UNIT),
                    GuardColumn.of("a", ColumnType.STRING, ColumnRole.DIMENSION),
                    GuardColumn.of("b", ColumnType.INTEGER, ColumnRole.DIMENSION),
                    GuardColumn.of("x", ColumnType.DOUBLE, ColumnRole.MEASURE).withBounds(new Bounds(0, 100)))))
                    : Optional.empty();
        }

        @Override
        public List<JoinKey> joinKeys() {
            return List.of();
        }
    };
}
