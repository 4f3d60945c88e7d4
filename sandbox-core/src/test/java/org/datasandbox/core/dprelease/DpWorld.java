package org.datasandbox.core.dprelease;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.datasandbox.core.TestSandbox;
import org.datasandbox.core.budget.FileAnswerCache;
import org.datasandbox.core.budget.FileBudgetStore;
import org.datasandbox.core.budget.ScenarioBudgets;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.ledger.EvidenceLedger;
import org.datasandbox.core.policy.DpOutput;
import org.datasandbox.core.policy.PolicyParser;
import org.datasandbox.core.policy.PolicyStore;
import org.datasandbox.core.policy.ScenarioPolicy;
import org.datasandbox.dp.accounting.LifetimeBudget;
import org.datasandbox.dp.noise.RandomSource;
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

/**
 * A small world for DP releases: a {@code people} table (one row per person: pid, district, income) in a Spark
 * session of its own, a DP scenario over it with a file budget store, answer cache and ledger in a fresh
 * directory. 30 people live in north, 30 in south and one, the target, alone in "tiny".
 */
final class DpWorld {
    static final double TARGET_INCOME = 123_457;
    static final String SCENARIO = "dp-world";

    final SparkSession spark;
    final PolicyStore policies;
    final ScenarioBudgets budgets;
    final FileBudgetStore store;
    final EvidenceLedger ledger;
    final Path dir;

    private DpWorld(double lifetimeEpsilon) throws Exception {
        TestSandbox.get(); // the JVM's SparkContext
        spark = SparkSession.builder().getOrCreate().newSession();
        spark.createDataFrame(people(), DataTypes.createStructType(List.of(
                DataTypes.createStructField("pid", DataTypes.LongType, false),
                DataTypes.createStructField("district", DataTypes.StringType, false),
                DataTypes.createStructField("income", DataTypes.DoubleType, false)))).createOrReplaceTempView("people");
        dir = Files.createTempDirectory("dp-world");
        CryptoProfile crypto = CryptoProfile.of(CryptoProfile.Kind.SM);
        policies = PolicyStore.open(dir.resolve("policies"), new PolicyParser(crypto));
        ScenarioPolicy scenario = new ScenarioPolicy(SCENARIO, "tests", List.of("Wang Fang"),
                Map.of("people", Set.of("*")), 10, Scenario.SmallGroups.SUPPRESS, new LifetimeBudget(lifetimeEpsilon, 1e-5),
                0, "sha", OutputMode.DP, new DpOutput(BigDecimal.ONE, 1e-6, ContributionBounds.DEFAULT));
        policies.put(scenario, "kind: scenario\n");
        ledger = EvidenceLedger.open(dir.resolve("ledger"), crypto);
        store = FileBudgetStore.open(dir.resolve("budget"), Clock.systemUTC());
        budgets = new ScenarioBudgets(store, ledger);
        budgets.define(policies.scenario(SCENARIO).orElseThrow());
    }

    static DpWorld withLifetimeEpsilon(double epsilon) throws Exception {
        return new DpWorld(epsilon);
    }

    /**
     * Replaces the world's people view by a Parquet table bucketed and sorted by the unit (one file per bucket), as
     * registration stores originals, so that a guard-planned query takes the streaming path; or written in two
     * appends, so that each bucket holds two sorted runs (the pass then refuses the layout).
     */
    DpWorld storedByUnit(boolean twoRuns) throws Exception {
        storeByUnit(spark, dir, twoRuns);
        return this;
    }

    /** {@link #storedByUnit} for any session with a {@code people} view of the world's columns. */
    static void storeByUnit(SparkSession spark, Path dir, boolean twoRuns) throws Exception {
        spark.conf().set("spark.sql.legacy.bucketedTableScan.outputOrdering", "true");
        spark.conf().set("spark.sql.sources.bucketing.autoBucketedScan.enabled", "false");
        org.apache.spark.sql.Dataset<Row> people = spark.table("people").cache();
        people.count();
        spark.catalog().dropTempView("people");
        // the in-memory catalog is shared by the JVM's sessions: each world's table in a database of its own
        String database = "dp_world_" + Long.toUnsignedString(new java.util.SplittableRandom().nextLong(), 36);
        spark.sql("CREATE DATABASE " + database);
        spark.catalog().setCurrentDatabase(database);
        Path table = Files.createTempDirectory(dir, "people");
        List<org.apache.spark.sql.Dataset<Row>> parts = twoRuns
                ? List.of(people.where("pid % 2 = 1"), people.where("pid % 2 = 0")) : List.of(people);
        for (org.apache.spark.sql.Dataset<Row> part : parts) {
            part.repartition(4, part.col("pid")).write().format("parquet").mode("append")
                    .option("path", table.resolve("t").toString()).bucketBy(4, "pid").sortBy("pid")
                    .saveAsTable("people");
        }
        people.unpersist();
    }

    DpReleases releases(Noises noises, RandomSource random, int maxGroups) throws Exception {
        return new DpReleases(policies, CATALOG, budgets, FileAnswerCache.open(dir.resolve("answers")),
                CryptoProfile.of(CryptoProfile.Kind.SM), noises, random, maxGroups);
    }

    private static List<Row> people() {
        List<Row> rows = new ArrayList<>();
        long pid = 1;
        for (String district : List.of("north", "south")) {
            for (int i = 0; i < 30; i++) {
                rows.add(RowFactory.create(pid++, district, 20_000.0 + 1_000 * i));
            }
        }
        rows.add(RowFactory.create(pid, "tiny", TARGET_INCOME));
        return rows;
    }

    /** The sum of income per district, as the guard's rewrite would bound it (one row per person here). */
    static org.datasandbox.guard.dp.DpQuery sumByDistrict(String filter) {
        String sql = "SELECT district, COUNT(*) AS n, SUM(LEAST(GREATEST(income, 0), 1000000)) AS s, "
                + "COUNT(DISTINCT pid) AS units FROM people " + filter + " GROUP BY district";
        return new org.datasandbox.guard.dp.DpQuery(sql, List.of("district"), List.of(
                new org.datasandbox.guard.dp.DpAggregate("n", org.datasandbox.guard.dp.DpAggregate.Kind.COUNT, Double.NaN,
                        0, 1, List.of("n")),
                new org.datasandbox.guard.dp.DpAggregate("s", org.datasandbox.guard.dp.DpAggregate.Kind.SUM, Double.NaN,
                        0, 1_000_000, List.of("s"))), "units", ContributionBounds.DEFAULT, Map.of());
    }

    /** The total income, one group without keys. */
    static org.datasandbox.guard.dp.DpQuery total(String filter) {
        String sql = "SELECT SUM(LEAST(GREATEST(income, 0), 1000000)) AS s, COUNT(DISTINCT pid) AS units FROM people "
                + filter;
        return new org.datasandbox.guard.dp.DpQuery(sql, List.of(), List.of(
                new org.datasandbox.guard.dp.DpAggregate("total", org.datasandbox.guard.dp.DpAggregate.Kind.SUM, Double.NaN,
                        0, 1_000_000, List.of("s"))), "units", ContributionBounds.DEFAULT, Map.of());
    }

    /** The catalog's view of the world: one table, its privacy unit, no joins. */
    static final GuardCatalog CATALOG = new GuardCatalog() {
        @Override
        public Optional<GuardTable> table(String name) {
            return name.toLowerCase(Locale.ROOT).equals("people") ? Optional.of(new GuardTable("people", List.of(
                    GuardColumn.of("pid", ColumnType.BIGINT, ColumnRole.PRIVACY_UNIT),
                    GuardColumn.of("district", ColumnType.STRING, ColumnRole.DIMENSION),
                    GuardColumn.of("income", ColumnType.DOUBLE, ColumnRole.MEASURE).withBounds(new Bounds(0, 1_000_000)))))
                    : Optional.empty();
        }

        @Override
        public List<JoinKey> joinKeys() {
            return List.of();
        }
    };
}
