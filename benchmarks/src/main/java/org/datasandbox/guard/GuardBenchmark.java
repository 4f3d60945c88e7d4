package org.datasandbox.guard;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.datasandbox.bench.BenchmarkBase;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.engine.SparkTypes;
import org.datasandbox.core.catalog.DatasetColumn;
import org.datasandbox.core.policy.PolicyDirectory;
import org.datasandbox.core.policy.PolicyParser;
import org.datasandbox.core.policy.TablePolicy;
import org.datasandbox.guard.catalog.Scenario;
import org.datasandbox.guard.explain.Decision;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
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
 * The whole guard (parse, validate, analyze, check, rewrite, unparse) on corpus-style queries, next to
 * Spark's own parse and analysis of the same text in the same run. Sample mode gives p50 and p99.
 * Warm-up is 30 s: on 2 cores the JIT needs about 20 s of queries to compile Calcite's code paths, and
 * a shorter warm-up measures that compilation rather than the guard (the join's mean is still 1.0 ms
 * per query 15 to 20 s in, and 0.76 ms 25 to 30 s in).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 6, time = 5)
@Measurement(iterations = 4, time = 3)
public class GuardBenchmark extends BenchmarkBase {
    private static final Map<String, String> QUERIES = Map.of(
            "group_by", "SELECT district, COUNT(*) AS n, AVG(income) AS avg_income FROM residents GROUP BY district",
            "derived", "SELECT FLOOR(age / 10) AS decade, sex, COUNT(*) AS n FROM arrests WHERE year >= 2000 GROUP BY FLOOR(age / 10), sex",
            "join", "SELECT r.district, COUNT(DISTINCT r.person_id) AS patients, ROUND(AVG(v.cost), 2) AS avg_cost "
                    + "FROM residents r JOIN medical_visits v ON r.person_id = v.person_id "
                    + "WHERE r.diagnosis IN ('高血压', '2型糖尿病') GROUP BY r.district ORDER BY patients DESC",
            "subquery", "SELECT gender, COUNT(*) AS n FROM residents WHERE person_id IN "
                    + "(SELECT person_id FROM medical_visits WHERE cost > 3000) GROUP BY gender",
            "cells", "SELECT sex, COUNT(*) FILTER (WHERE death = 1) AS deaths, AVG(creatinine) AS creatinine FROM patients GROUP BY sex",
            "rejected", "SELECT name, phone FROM residents WHERE district = '洪山区'");

    @Param({"group_by", "derived", "join", "subquery", "cells", "rejected"})
    public String query;

    private String sql;
    private QueryGuard guard;
    private Scenario scenario;
    private SparkSession spark;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        sql = QUERIES.get(query);
        PolicyDirectory policies = PolicyDirectory.load(examples().resolve("policies"),
                new PolicyParser(CryptoProfile.of(CryptoProfile.Kind.SM)));
        guard = new QueryGuard(policies);
        scenario = policies.guardScenario(policies.scenario(Optional.empty()));
        spark = SparkSession.builder().master("local[1]").appName("guard-benchmark")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        for (TablePolicy table : policies.tables().values()) {
            var columns = table.columns().stream()
                    .map(c -> new DatasetColumn(c.name(), c.type().orElseThrow())).toList();
            Dataset<Row> empty = spark.createDataFrame(java.util.List.<Row>of(), SparkTypes.schema(columns));
            empty.createOrReplaceTempView(table.table());
        }
        if (guard.check(sql, scenario).isAllowed() == query.equals("rejected")) {
            throw new IllegalStateException("unexpected decision for " + query);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        spark.stop();
    }

    @Benchmark
    public Decision guardCheck() {
        return guard.check(sql, scenario);
    }

    /** Spark's parser and analyzer on the same text (a DataFrame is analyzed eagerly, not executed). */
    @Benchmark
    public Object sparkParseAndAnalyze() {
        try {
            return spark.sql(sql).queryExecution().analyzed();
        } catch (Exception e) {
            return e; // the row-level query is valid Spark SQL; nothing should land here
        }
    }

    private static Path examples() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("examples").resolve("policies"))) {
                return p.resolve("examples");
            }
        }
        throw new IllegalStateException("run from the repository");
    }
}
