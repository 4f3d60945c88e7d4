package org.datasandbox.guard.dp;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
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
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 10's target: a DP GROUP BY end to end (the guard's check and rewrite, then Spark computing the bounded
 * partials and collecting them) against the same exact GROUP BY in the same local Spark, on {@code rows} cached
 * rows. Two tables: {@code people}, one row per person (DP needs clamping only: target at most 1.10x), and
 * {@code visits}, five rows per person on average (per-unit contribution bounding: target at most 2.0x).
 * Single-shot seconds per query; read the ratios {@code dpPeople / exactPeople} and {@code dpVisits / exactVisits}.
 * {@code visits_by_unit} holds the same rows partitioned by the privacy unit (as originals could be stored):
 * {@code dpVisitsByUnit / exactVisitsByUnit} shows what the shuffle by unit costs.
 * {@code visits_repeat} holds the same number of rows, five visits per person of which four fall in one hospital
 * and one in another: Linf (3) then bites, and the (unit, group) pre-aggregation halves the rows before L0 is
 * chosen. {@code unitFloorVisits} is the physical floor of any per-unit bounding on {@code visits}: a bare
 * {@code GROUP BY person_id} (every row brought to its unit once, nothing else); read {@code unitFloorVisits /
 * exactVisits} as the best ratio a bounding by unit could reach. {@code dpVisitsUdaf}, {@code dpVisitsUdafNoFallback}
 * and {@code dpVisitsFixedWidth} bound {@code visits} by one aggregation by unit with bounded state (candidates
 * for the rewrite, with a fixed salt): read them against {@code dpVisits} in the same run.
 * {@code visits_sorted_by_unit} (cached, {@code repartition(n, person_id).sortWithinPartitions(person_id)}) and
 * {@code visits_bucketed} (a Parquet table {@code bucketBy(n, person_id).sortBy(person_id)}, one file per bucket, in
 * the session's in-memory catalog) hold the same rows clustered AND sorted by the unit, so that per-unit work needs
 * no exchange: the rewrite's SQL on them ({@code dpVisitsSorted}, {@code dpVisitsBucketed}, each also with
 * {@code replaceHashWithSortAgg}), the UDAF as a sort aggregate ({@code dpVisitsUdafSorted}), the floor
 * ({@code unitFloorSorted}, {@code unitFloorBucketed}) and {@link SortedUnitBounding}, a streaming pass with no hash
 * table of units ({@code dpVisitsStreaming}, {@code dpVisitsStreamingBucketed}); read each against {@code exactVisits}.
 * The size is 10 million rows; on a loaded machine pass {@code -p rows=1000000}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {
    "-Xmx6g", "-XX:+UseParallelGC",
    "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
    "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED"})
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class DpGroupByBenchmark {
    static final String PEOPLE = "SELECT district, COUNT(*) AS n, SUM(income) AS income FROM people GROUP BY district";
    static final String VISITS = "SELECT hospital, COUNT(*) AS n, SUM(cost) AS cost FROM visits GROUP BY hospital";
    static final String VISITS_BY_UNIT = VISITS.replace("FROM visits", "FROM visits_by_unit");
    static final String VISITS_REPEAT = VISITS.replace("FROM visits", "FROM visits_repeat");
    /** Every row to its unit once and nothing else: the least work any per-unit bounding must do. */
    static final String UNIT_FLOOR = "SELECT COUNT(*), SUM(n) FROM (SELECT person_id, COUNT(*) AS n FROM visits "
            + "GROUP BY person_id)";

    /**
     * {@link #VISITS} bounded by {@link UnitBoundingAggregator}: one aggregation by unit keeping its L0 (4) groups
     * of smallest keyed hash with partials capped at Linf (3), then the kept pairs aggregated by hospital. The
     * clamp and the salted hash are those the rewrite writes; the salt is fixed here (the rewrite draws one per query).
     */
    static final String VISITS_UDAF = "SELECT key AS hospital, SUM(n) AS n, SUM(sum) AS cost, COUNT(*) AS __dp_units "
            + "FROM (SELECT dp_bound(xxhash64(8699989649721214301, person_id, hospital), hospital, "
            + "CASE WHEN cost < 0E0 THEN 0E0 WHEN cost > 1.0E4 THEN 1.0E4 ELSE cost END) AS s "
            + "FROM visits WHERE person_id IS NOT NULL GROUP BY person_id) "
            + "LATERAL VIEW inline(arrays_zip(s.keys, s.counts, s.sums)) kept AS key, n, sum GROUP BY key";
    /**
     * {@link #VISITS_UDAF} with {@link FixedWidthUnitBounding}: a fixed-width state, so a HashAggregate; groups travel
     * as the 64-bit hash of their key and are named again by a broadcast join with the keys' hashes.
     */
    static final String VISITS_FIXED = "SELECT k.hospital, b.n, b.cost, b.__dp_units FROM (SELECT g, SUM(n) AS n, "
            + "SUM(s) AS cost, COUNT(*) AS __dp_units FROM (SELECT dp_bound_fixed(xxhash64(8699989649721214301, "
            + "person_id, hospital), xxhash64(hospital), "
            + "CASE WHEN cost < 0E0 THEN 0E0 WHEN cost > 1.0E4 THEN 1.0E4 ELSE cost END) AS slots "
            + "FROM visits WHERE person_id IS NOT NULL GROUP BY person_id) LATERAL VIEW inline(slots) kept AS g, n, s "
            + "GROUP BY g) b JOIN (SELECT DISTINCT xxhash64(hospital) AS g, hospital FROM visits) k ON b.g = k.g";
    static final String FALLBACK = "spark.sql.objectHashAggregate.sortBased.fallbackThreshold";
    static final String SORT_AGG = "spark.sql.execution.replaceHashWithSortAgg";
    static final String VISITS_SORTED = VISITS.replace("FROM visits", "FROM visits_sorted_by_unit");
    static final String VISITS_BUCKETED = VISITS.replace("FROM visits", "FROM visits_bucketed");
    static final String UNIT_FLOOR_SORTED = UNIT_FLOOR.replace("FROM visits", "FROM visits_sorted_by_unit");
    static final String UNIT_FLOOR_BUCKETED = UNIT_FLOOR.replace("FROM visits", "FROM visits_bucketed");
    static final String VISITS_UDAF_SORTED = VISITS_UDAF.replace("FROM visits", "FROM visits_sorted_by_unit");
    /** The fixed salt of the candidates (the rewrite draws one per query). */
    static final long SALT = 8699989649721214301L;
    /** What {@link SortedUnitBounding} reads: the unit, the group key and the clamped value, as the rewrite writes them. */
    static final String STREAM_INPUT = "SELECT person_id, hospital, "
            + "CASE WHEN cost < 0E0 THEN 0E0 WHEN cost > 1.0E4 THEN 1.0E4 ELSE cost END AS cost FROM ";
    static final org.apache.spark.sql.types.StructType STREAM_PARTIALS = new org.apache.spark.sql.types.StructType()
            .add("hospital", "string").add("n", "bigint").add("cost", "double").add("units", "bigint");

    @Param({"10000000"})
    public long rows;

    private SparkSession spark;
    private QueryGuard guard;
    private Scenario scenario;
    private String peopleRewritten;
    private int partitions;
    private java.nio.file.Path warehouse;

    @Setup(Level.Trial)
    @SuppressWarnings("deprecation") // FixedWidthUnitBounding is a UserDefinedAggregateFunction on purpose (a buffer schema)
    public void prepare() {
        spark = SparkSession.builder().master("local[*]").appName("dp-group-by-benchmark")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "8")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.warehouse.dir", warehouse().toString())
                // a bucketed scan reports its sort order only with this flag (one file per bucket, as written below)
                .config("spark.sql.legacy.bucketedTableScan.outputOrdering", "true")
                // keep the bucketed scan even where no operator asks for its partitioning (the streaming pass)
                .config("spark.sql.sources.bucketing.autoBucketedScan.enabled", "false").getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        long people = rows;
        spark.range(rows).selectExpr("id AS person_id", "concat('d', CAST(id % 17 AS STRING)) AS district",
                        "CAST((id * 7919) % 200000 AS DOUBLE) AS income")
                .cache().createOrReplaceTempView("people");
        spark.range(rows).selectExpr("(id * 2654435761) % " + Math.max(1, people / 5) + " AS person_id",
                        "concat('h', CAST(id % 23 AS STRING)) AS hospital", "CAST((id * 31) % 12000 AS DOUBLE) AS cost")
                .cache().createOrReplaceTempView("visits");
        // the same rows stored partitioned by the privacy unit: the bounding windows then need no shuffle
        spark.table("visits").repartition(Integer.parseInt(spark.conf().get("spark.sql.shuffle.partitions")),
                org.apache.spark.sql.functions.col("person_id")).cache().createOrReplaceTempView("visits_by_unit");
        // five visits per person: visits 0-3 in one hospital, visit 4 in another (Linf 3 bites on the four)
        long persons = Math.max(1, people / 5);
        spark.range(rows).selectExpr("id % " + persons + " AS person_id",
                        "concat('h', CAST((id % " + persons + " * 7 + CAST(id DIV " + persons + " AS INT) DIV 4) % 23 "
                                + "AS STRING)) AS hospital", "CAST((id * 31) % 12000 AS DOUBLE) AS cost")
                .cache().createOrReplaceTempView("visits_repeat");
        spark.sql("SELECT COUNT(*) FROM visits_repeat").collectAsList();
        spark.sql("SELECT COUNT(*) FROM people").collectAsList();
        spark.sql("SELECT COUNT(*) FROM visits").collectAsList();
        spark.sql("SELECT COUNT(*) FROM visits_by_unit").collectAsList();
        // clustered AND sorted by the unit: per-unit work can stream (no exchange, no hash table of units, no sort)
        partitions = Integer.parseInt(spark.conf().get("spark.sql.shuffle.partitions"));
        spark.table("visits").repartition(partitions, org.apache.spark.sql.functions.col("person_id"))
                .sortWithinPartitions("person_id").cache().createOrReplaceTempView("visits_sorted_by_unit");
        spark.sql("SELECT COUNT(*) FROM visits_sorted_by_unit").collectAsList();
        // the same as originals would be stored: a bucketed, sorted Parquet table (one file per bucket)
        spark.table("visits").repartition(partitions, org.apache.spark.sql.functions.col("person_id")).write()
                .format("parquet").bucketBy(partitions, "person_id").sortBy("person_id").saveAsTable("visits_bucketed");
        spark.udf().register("dp_bound", org.apache.spark.sql.functions.udaf(new UnitBoundingAggregator(4, 3),
                org.apache.spark.sql.Encoders.tuple(org.apache.spark.sql.Encoders.LONG(),
                        org.apache.spark.sql.Encoders.STRING(), org.apache.spark.sql.Encoders.DOUBLE())));
        spark.udf().register("dp_bound_fixed", new FixedWidthUnitBounding(4, 3));
        guard = new QueryGuard(new Catalog());
        scenario = new Scenario("benchmark", Map.of("people", Set.of("person_id", "district", "income"),
                "visits", Set.of("person_id", "hospital", "cost"),
                "visits_by_unit", Set.of("person_id", "hospital", "cost"),
                "visits_repeat", Set.of("person_id", "hospital", "cost"),
                "visits_sorted_by_unit", Set.of("person_id", "hospital", "cost"),
                "visits_bucketed", Set.of("person_id", "hospital", "cost")), OutputMode.DP, 10, Scenario.SmallGroups.SUPPRESS,
                new ContributionBounds(4, 3));
        peopleRewritten = guard.check(PEOPLE, scenario).rewrittenSql().orElseThrow();
        // a server checks queries all day: warm the guard's planning so that a single shot does not time it cold
        for (int i = 0; i < 100; i++) {
            for (String query : List.of(PEOPLE, VISITS, VISITS_BY_UNIT, VISITS_REPEAT, VISITS_SORTED, VISITS_BUCKETED)) {
                guard.check(query, scenario);
            }
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws java.io.IOException {
        spark.stop();
        try (var files = java.nio.file.Files.walk(warehouse)) {
            for (java.nio.file.Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.delete(file);
            }
        }
    }

    private java.nio.file.Path warehouse() {
        try {
            warehouse = java.nio.file.Files.createTempDirectory("dp-group-by-warehouse");
            return warehouse;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Runs {@code sql} with {@code spark.sql.execution.replaceHashWithSortAgg} set to {@code on}. */
    private List<Row> withSortAgg(boolean on, String sql) {
        spark.conf().set(SORT_AGG, on);
        try {
            return spark.sql(sql).collectAsList();
        } finally {
            spark.conf().set(SORT_AGG, false);
        }
    }

    /** {@link SortedUnitBounding} over {@code table}'s partitions, then Spark's GROUP BY group of the partials. */
    private List<Row> streaming(String table) {
        SortedUnitBounding bounding = new SortedUnitBounding(4, 3, SALT, partitions);
        org.apache.spark.api.java.JavaRDD<Row> partials = spark.sql(STREAM_INPUT + table).queryExecution().toRdd()
                .toJavaRDD().mapPartitionsWithIndex(bounding::bound, false);
        return spark.createDataFrame(partials, STREAM_PARTIALS).groupBy("hospital")
                .agg(org.apache.spark.sql.functions.sum("n").as("n"),
                        org.apache.spark.sql.functions.coalesce(org.apache.spark.sql.functions.sum("cost"),
                                org.apache.spark.sql.functions.lit(0.0)).as("cost"),
                        org.apache.spark.sql.functions.sum("units").as("__dp_units")).collectAsList();
    }

    @Benchmark
    public List<Row> exactPeople() {
        return spark.sql(PEOPLE).collectAsList();
    }

    /** Clamping only: people holds one row per person. */
    @Benchmark
    public List<Row> dpPeople() {
        return spark.sql(guard.check(PEOPLE, scenario).rewrittenSql().orElseThrow()).collectAsList();
    }

    /** {@link #dpPeople} without the guard: the rewritten SQL of one check, so Spark's share of the ratio alone. */
    @Benchmark
    public List<Row> dpPeopleRewritten() {
        return spark.sql(peopleRewritten).collectAsList();
    }

    @Benchmark
    public List<Row> exactVisits() {
        return spark.sql(VISITS).collectAsList();
    }

    /** Clamping, at most Linf visits per person and hospital, at most L0 hospitals per person. */
    @Benchmark
    public List<Row> dpVisits() {
        return spark.sql(guard.check(VISITS, scenario).rewrittenSql().orElseThrow()).collectAsList();
    }

    @Benchmark
    public List<Row> exactVisitsByUnit() {
        return spark.sql(VISITS_BY_UNIT).collectAsList();
    }

    /** {@link #dpVisits} over rows stored partitioned by the privacy unit, as the sandbox could store originals. */
    @Benchmark
    public List<Row> dpVisitsByUnit() {
        return spark.sql(guard.check(VISITS_BY_UNIT, scenario).rewrittenSql().orElseThrow()).collectAsList();
    }

    @Benchmark
    public List<Row> exactVisitsRepeat() {
        return spark.sql(VISITS_REPEAT).collectAsList();
    }

    /** {@link #dpVisits} where units repeat within groups: Linf bites, and the pre-aggregation shrinks the rows. */
    @Benchmark
    public List<Row> dpVisitsRepeat() {
        return spark.sql(guard.check(VISITS_REPEAT, scenario).rewrittenSql().orElseThrow()).collectAsList();
    }

    /** {@link #dpVisits} as one bounded-state aggregation by unit ({@link UnitBoundingAggregator}). */
    @Benchmark
    public List<Row> dpVisitsUdaf() {
        return spark.sql(VISITS_UDAF).collectAsList();
    }

    /** {@link #dpVisitsUdaf} with the object aggregate's fallback to sorting out of reach (one shot only). */
    @Benchmark
    public List<Row> dpVisitsUdafNoFallback() {
        String before = spark.conf().get(FALLBACK);
        spark.conf().set(FALLBACK, Integer.MAX_VALUE);
        try {
            return spark.sql(VISITS_UDAF).collectAsList();
        } finally {
            spark.conf().set(FALLBACK, before);
        }
    }

    /** {@link #dpVisitsUdaf} with a fixed-width state ({@link FixedWidthUnitBounding}): a HashAggregate. */
    @Benchmark
    public List<Row> dpVisitsFixedWidth() {
        return spark.sql(VISITS_FIXED).collectAsList();
    }

    @Benchmark
    public List<Row> unitFloorVisits() {
        return spark.sql(UNIT_FLOOR).collectAsList();
    }

    @Benchmark
    public List<Row> exactVisitsSorted() {
        return spark.sql(VISITS_SORTED).collectAsList();
    }

    /** The rewrite's SQL over rows cached clustered and sorted by the unit (no exchange before the window). */
    @Benchmark
    public List<Row> dpVisitsSorted() {
        return spark.sql(guard.check(VISITS_SORTED, scenario).rewrittenSql().orElseThrow()).collectAsList();
    }

    /** {@link #dpVisitsSorted} with hash aggregates replaced by sort aggregates where the input is sorted. */
    @Benchmark
    public List<Row> dpVisitsSortedSortAgg() {
        return withSortAgg(true, guard.check(VISITS_SORTED, scenario).rewrittenSql().orElseThrow());
    }

    @Benchmark
    public List<Row> exactVisitsBucketed() {
        return spark.sql(VISITS_BUCKETED).collectAsList();
    }

    /** The rewrite's SQL over a bucketed Parquet table sorted by the unit, as originals could be stored. */
    @Benchmark
    public List<Row> dpVisitsBucketed() {
        return spark.sql(guard.check(VISITS_BUCKETED, scenario).rewrittenSql().orElseThrow()).collectAsList();
    }

    @Benchmark
    public List<Row> dpVisitsBucketedSortAgg() {
        return withSortAgg(true, guard.check(VISITS_BUCKETED, scenario).rewrittenSql().orElseThrow());
    }

    /** The floor on the sorted layout: a bare {@code GROUP BY person_id} as a sort aggregate without sort or exchange. */
    @Benchmark
    public List<Row> unitFloorSorted() {
        return withSortAgg(true, UNIT_FLOOR_SORTED);
    }

    @Benchmark
    public List<Row> unitFloorBucketed() {
        return withSortAgg(true, UNIT_FLOOR_BUCKETED);
    }

    /** {@link #dpVisitsUdaf} over the sorted layout: a sort aggregate by unit, no exchange and no hash table. */
    @Benchmark
    public List<Row> dpVisitsUdafSorted() {
        return withSortAgg(true, VISITS_UDAF_SORTED);
    }

    /** The streaming per-unit bounding ({@link SortedUnitBounding}) over the cached sorted layout. */
    @Benchmark
    public List<Row> dpVisitsStreaming() {
        return streaming("visits_sorted_by_unit");
    }

    /** {@link #dpVisitsStreaming} over the bucketed, sorted Parquet table. */
    @Benchmark
    public List<Row> dpVisitsStreamingBucketed() {
        return streaming("visits_bucketed");
    }

    /**
     * {@link #VISITS} as the sandbox releases it, from the query text to the released Arrow rows along production's
     * code: {@code visits} registered through the production storage ({@code OriginalTables}: encrypted Parquet,
     * clustered and sorted by the unit into one file per bucket, a bucketed catalog table of the originals' session),
     * the guard's check and DP rewrite, then {@code DpReleases.release} as {@code JobManager} calls it: the answer
     * cache asked (a fresh one per shot, so that every shot releases), the budget charged to a file store with its
     * ledger entry (fsync included), the streaming pass ({@code StreamingUnitBounding}, its layout check of the
     * executed plan, one pass per bucket), the partials' read, partition selection, noise from a secure source and
     * the Arrow encoding, the answer stored in the cache. Left out: the job's queue and the sealed copy of the result.
     * It fails, rather than time the SQL path, if the release did not take the streaming path. Read it against
     * {@link #exactVisitsStored} (the same stored data: the ratio) and {@link #exactVisits} (cached rows in
     * memory: the harsher one).
     */
    @Benchmark
    public org.datasandbox.core.dprelease.DpReleases.Answer dpVisitsProduction(ProductionVisits visits,
                                                                               ProductionRelease release) {
        org.datasandbox.guard.explain.Decision decision = guard.check(VISITS, scenario);
        org.datasandbox.core.dprelease.DpReleases.Answer answer = release.releases.release(scenario.id(), "benchmark",
                decision.dpQuery().orElseThrow(), decision.tables(), visits.originals::sql);
        if (!answer.spent() || !org.datasandbox.core.dprelease.DpReleases.STREAMING.equals(answer.bounding())) {
            throw new IllegalStateException("the release did not run the streaming path: " + answer.bounding());
        }
        return answer;
    }

    /**
     * The streaming pass's partials alone, collected (what {@link #dpVisitsProduction} timed before it ran the
     * release): the guard's plan and {@code StreamingUnitBounding}, no budget, no noise, no release.
     */
    @Benchmark
    public List<Row> dpVisitsPartials(ProductionVisits visits) {
        org.datasandbox.guard.dp.DpQuery query = guard.check(VISITS, scenario).dpQuery().orElseThrow();
        return org.datasandbox.core.dprelease.StreamingUnitBounding.partials(query, visits.originals::sql)
                .orElseThrow(() -> new IllegalStateException("the streaming path was not taken")).collectAsList();
    }

    /**
     * The fair baseline of {@link #dpVisitsProduction}: the same exact GROUP BY over the SAME stored table
     * ({@code visits} read through {@code OriginalTables}: decrypted, bucketed Parquet), so the ratio counts the DP
     * work alone; {@link #exactVisits} (cached rows in memory) is the harsher one.
     */
    @Benchmark
    public List<Row> exactVisitsStored(ProductionVisits visits) {
        return visits.originals.sql(VISITS).collectAsList();
    }

    /**
     * A split of {@link #dpVisitsProduction}: its unit rows (the stored table's scan and decryption, the rewrite's
     * clamping projection) read to the end through {@code toRdd}, as the streaming pass reads them, with no pass.
     * {@code dpVisitsProduction - unitRowsStored} is the pass, the GROUP BY of its partials and the planning.
     */
    @Benchmark
    public long unitRowsStored(ProductionVisits visits) {
        org.datasandbox.guard.dp.DpQuery query = guard.check(VISITS, scenario).dpQuery().orElseThrow();
        return visits.originals.sql(query.unitRows().orElseThrow().sparkSql()).queryExecution().toRdd().count();
    }

    /** {@code visits}' rows registered through the production storage; set up only for the rows that use it. */
    @State(Scope.Benchmark)
    public static class ProductionVisits {
        private SparkSession originals;
        private java.nio.file.Path dir;
        private org.datasandbox.core.storage.KeyVault vault;

        @Setup(Level.Trial)
        public void store(DpGroupByBenchmark benchmark) throws Exception {
            dir = java.nio.file.Files.createTempDirectory("dp-production-visits");
            var crypto = org.datasandbox.core.crypto.CryptoProfile.of(org.datasandbox.core.crypto.CryptoProfile.Kind.SM);
            vault = org.datasandbox.core.storage.KeyVault.open(dir.resolve("keys"), crypto,
                    org.datasandbox.core.custody.MasterKey.inMemory(crypto, crypto.newSymmetricKey()));
            originals = benchmark.spark.newSession();
            new org.datasandbox.core.storage.OriginalTables(originals,
                    new org.datasandbox.core.storage.EncryptedParquet(vault), dir.resolve("originals"),
                    benchmark.partitions).store("visits", new GeneratedVisits(benchmark.rows), Optional.of("person_id"));
            originals.sql("SELECT COUNT(*) FROM visits").collectAsList();
        }

        @TearDown(Level.Trial)
        public void delete() throws java.io.IOException {
            org.datasandbox.core.storage.EncryptedParquet.deleteRecursively(dir);
        }
    }

    /**
     * What {@code DpReleases} needs around the pass, as {@code Sandbox} builds it: the scenario's policy (DP mode, the
     * guard scenario's bounds, a lifetime budget no run of this benchmark exhausts), a file budget store and ledger,
     * the noise of a secure source, and a file answer cache sealed like production's, opened empty before every shot.
     */
    @State(Scope.Benchmark)
    public static class ProductionRelease {
        private java.nio.file.Path dir;
        private org.datasandbox.core.policy.PolicyStore policies;
        private org.datasandbox.core.budget.ScenarioBudgets budgets;
        private org.datasandbox.core.release.SealedResults sealed;
        private org.datasandbox.core.crypto.CryptoProfile crypto;
        private org.datasandbox.core.dprelease.DpReleases releases;
        private int shot;

        @Setup(Level.Trial)
        public void open(DpGroupByBenchmark benchmark, ProductionVisits visits) throws Exception {
            dir = java.nio.file.Files.createTempDirectory("dp-production-release");
            crypto = org.datasandbox.core.crypto.CryptoProfile.of(org.datasandbox.core.crypto.CryptoProfile.Kind.SM);
            policies = org.datasandbox.core.policy.PolicyStore.open(dir.resolve("policies"),
                    new org.datasandbox.core.policy.PolicyParser(crypto));
            policies.put(new org.datasandbox.core.policy.ScenarioPolicy(benchmark.scenario.id(), "benchmark",
                    List.of("benchmark"), Map.of("visits", Set.of("*")), 10, Scenario.SmallGroups.SUPPRESS,
                    new org.datasandbox.dp.accounting.LifetimeBudget(50, 1e-3), 0, "sha", OutputMode.DP,
                    new org.datasandbox.core.policy.DpOutput(java.math.BigDecimal.ONE, 1e-6,
                            benchmark.scenario.contributionBounds())), "kind: scenario\n");
            var ledger = org.datasandbox.core.ledger.EvidenceLedger.open(dir.resolve("ledger"), crypto);
            budgets = new org.datasandbox.core.budget.ScenarioBudgets(org.datasandbox.core.budget.FileBudgetStore
                    .open(dir.resolve("budget"), java.time.Clock.systemUTC()), ledger);
            budgets.define(policies.scenario(benchmark.scenario.id()).orElseThrow());
            sealed = org.datasandbox.core.release.SealedResults.open(dir.resolve("results"), visits.vault, crypto);
        }

        /** An empty answer cache per shot: the same query would otherwise be answered from the cache and spend nothing. */
        @Setup(Level.Invocation)
        public void emptyCache() throws java.io.IOException {
            var random = org.datasandbox.dp.noise.RandomSource.secure();
            releases = new org.datasandbox.core.dprelease.DpReleases(policies, new Catalog(), budgets,
                    org.datasandbox.core.budget.FileAnswerCache.open(dir.resolve("answers-" + shot++), sealed), crypto,
                    org.datasandbox.core.dprelease.Noises.over(random), random, 10_000);
        }

        @TearDown(Level.Trial)
        public void delete() throws java.io.IOException {
            org.datasandbox.core.storage.EncryptedParquet.deleteRecursively(dir);
        }
    }

    /** The rows of the {@code visits} view, generated one at a time as an upload would hand them to storage. */
    private record GeneratedVisits(long rows) implements org.datasandbox.core.catalog.RowSource {
        @Override
        public List<org.datasandbox.core.catalog.DatasetColumn> columns() {
            return List.of(new org.datasandbox.core.catalog.DatasetColumn("person_id", ColumnType.BIGINT),
                    new org.datasandbox.core.catalog.DatasetColumn("hospital", ColumnType.STRING),
                    new org.datasandbox.core.catalog.DatasetColumn("cost", ColumnType.DOUBLE));
        }

        @Override
        public long rowCount() {
            return rows;
        }

        @Override
        public void forEachRow(RowSink sink) throws java.io.IOException {
            long persons = Math.max(1, rows / 5);
            Object[] row = new Object[3];
            for (long id = 0; id < rows; id++) {
                row[0] = id * 2654435761L % persons;
                row[1] = "h" + id % 23;
                row[2] = (double) (id * 31 % 12000);
                sink.accept(row);
            }
        }
    }

    /** The guard's view of the tables, written out by hand. */
    private static final class Catalog implements GuardCatalog {
        @Override
        public Optional<GuardTable> table(String name) {
            return switch (name.toLowerCase(java.util.Locale.ROOT)) {
                case "people" -> Optional.of(new GuardTable("people", List.of(
                        GuardColumn.of("person_id", ColumnType.BIGINT, ColumnRole.PRIVACY_UNIT),
                        GuardColumn.of("district", ColumnType.STRING, ColumnRole.DIMENSION),
                        GuardColumn.of("income", ColumnType.DOUBLE, ColumnRole.MEASURE).withBounds(new Bounds(0, 100_000))),
                        true));
                case "visits", "visits_by_unit", "visits_repeat", "visits_sorted_by_unit", "visits_bucketed" -> Optional.of(new GuardTable(name.toLowerCase(java.util.Locale.ROOT), List.of(
                        GuardColumn.of("person_id", ColumnType.BIGINT, ColumnRole.PRIVACY_UNIT),
                        GuardColumn.of("hospital", ColumnType.STRING, ColumnRole.DIMENSION),
                        GuardColumn.of("cost", ColumnType.DOUBLE, ColumnRole.MEASURE).withBounds(new Bounds(0, 10_000)))));
                default -> Optional.empty();
            };
        }

        @Override
        public List<JoinKey> joinKeys() {
            return List.of();
        }
    }
}
