package org.datasandbox.core.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.datasandbox.guard.explain.Decision;
import org.junit.jupiter.api.Test;

/**
 * Deliverable 8's oracle: the guard's rewrite must never change a released value. For every generated
 * query in the H2-comparable subset that the guard allows, the rewritten SQL runs in Spark and each
 * released row is compared with H2's answer to the original query (an engine that shares nothing with
 * Spark, Calcite or the guard): the row's group must exist in H2 with at least k distinct people, every
 * released non-NULL value must equal H2's (NULL is a suppressed cell), every H2 group with k people must
 * be released, and the released column types must be those of the original query in Spark (so that a
 * rate does not come back as DECIMAL(2,1)). Queries that combine several aggregates (a marginal with its
 * total, two marginals joined, a share) have no one group whose people H2 could count: each released row
 * must be one of H2's rows and each released non-NULL value H2's.
 */
class ExactAnswerOracleTest {
    static final int QUERIES = Integer.getInteger("oracle.exact.queries", 3000);
    static final long SEED = Long.getLong("oracle.exact.seed", 8L);

    @Test
    void guard_generatedH2Queries_releaseExactlyTheIndependentAnswer() throws Exception {
        OracleFixture f = OracleFixture.get();
        SparkSession spark = f.oracle.worlds().spark();
        List<String> mismatches = new ArrayList<>();
        int comparable = 0;
        int allowed = 0;
        int rows = 0;
        int suppressed = 0;
        int combined = 0;
        try (H2World h2 = new H2World(f.data)) {
            for (SqlFuzzer.FuzzQuery query : new SqlFuzzer(SEED).generate(QUERIES)) {
                if (!query.h2()) {
                    continue;
                }
                comparable++;
                Decision decision;
                try {
                    decision = f.guard.check(query.sql(), f.scenario);
                } catch (Throwable e) { // GuardFuzzOracleTest reports crashes
                    continue;
                }
                if (!decision.isAllowed()) {
                    continue;
                }
                allowed++;
                Dataset<Row> original = spark.sql(query.sql());
                Dataset<Row> released = spark.sql(decision.rewrittenSql().orElseThrow());
                List<DataType> originalTypes = types(original);
                List<DataType> releasedTypes = types(released);
                if (!originalTypes.equals(releasedTypes)) {
                    mismatches.add(query.sql() + "\n    types " + releasedTypes + ", the original query has " + originalTypes);
                }
                if (query.h2Unit() == null) {
                    combined++;
                    Map<List<String>, List<Object>> answer = h2.rows(query.h2Sql(), query.keys());
                    for (Row row : released.collectAsList()) {
                        rows++;
                        suppressed += compareAsIs(query, row, answer, originalTypes, mismatches);
                    }
                    continue;
                }
                Map<List<String>, H2World.Group> expected = h2.groups(query.h2Sql(), query.keys(), query.h2Unit());
                Set<List<String>> seen = new HashSet<>();
                for (Row row : released.collectAsList()) {
                    rows++;
                    List<String> key = new ArrayList<>();
                    for (int i = 0; i < query.keys(); i++) {
                        key.add(SparkWorlds.normalize(row.get(i)));
                    }
                    seen.add(key);
                    H2World.Group group = expected.get(key);
                    if (group == null || group.units() < OracleFixture.K) {
                        mismatches.add(query.sql() + "\n    released group " + key + " that H2 has with "
                                + (group == null ? 0 : group.units()) + " people");
                        continue;
                    }
                    for (int v = query.keys(); v < row.length(); v++) {
                        Object actual = row.get(v);
                        Object wanted = group.values().get(v - query.keys());
                        if (actual == null && wanted != null) {
                            suppressed++;
                        } else if (!same(actual, wanted, originalTypes.get(v))) {
                            mismatches.add(query.sql() + "\n    column " + (v + 1) + " of " + key + " is " + actual
                                    + ", H2 says " + wanted);
                        }
                    }
                }
                expected.forEach((key, group) -> {
                    if (group.units() >= OracleFixture.K && !seen.contains(key)) {
                        mismatches.add(query.sql() + "\n    group " + key + " with " + group.units() + " people not released");
                    }
                });
            }
        }
        System.out.printf("exact-answer oracle: %d generated, %d in the H2 subset, %d allowed (%d combining several"
                + " aggregates), %d released rows, %d suppressed cells, %d mismatches%n", QUERIES, comparable, allowed,
                combined, rows, suppressed, mismatches.size());
        mismatches.forEach(m -> System.out.println("  MISMATCH " + m));
        assertThat(allowed).as("allowed H2-comparable queries").isGreaterThanOrEqualTo(50);
        assertThat(combined).as("allowed H2-comparable queries combining several aggregates").isGreaterThanOrEqualTo(10);
        assertThat(mismatches).as("released answers that differ from H2's").isEmpty();
    }

    /**
     * A query of several aggregates (a marginal with its total, marginals joined, a share): each released row
     * must be one of H2's, each released non-NULL value H2's; returns the suppressed (NULL) cells.
     */
    private static int compareAsIs(SqlFuzzer.FuzzQuery query, Row row, Map<List<String>, List<Object>> answer,
                                   List<DataType> types, List<String> mismatches) {
        List<String> key = new ArrayList<>();
        for (int i = 0; i < query.keys(); i++) {
            key.add(SparkWorlds.normalize(row.get(i)));
        }
        List<Object> wanted = answer.get(key);
        if (wanted == null) {
            mismatches.add(query.sql() + "\n    released row " + key + " that H2 does not have");
            return 0;
        }
        int suppressed = 0;
        for (int v = query.keys(); v < row.length(); v++) {
            Object actual = row.get(v);
            Object expected = wanted.get(v - query.keys());
            if (actual == null && expected != null) {
                suppressed++;
            } else if (!same(actual, expected, types.get(v))) {
                mismatches.add(query.sql() + "\n    column " + (v + 1) + " of " + key + " is " + actual + ", H2 says " + expected);
            }
        }
        return suppressed;
    }

    private static List<DataType> types(Dataset<Row> frame) {
        return java.util.Arrays.stream(frame.schema().fields()).map(StructField::dataType).toList();
    }

    /** Equal within the precision of the original query's type (a decimal's scale), else 1e-9 relative. */
    private static boolean same(Object actual, Object expected, DataType type) {
        if (actual == null || expected == null) {
            return actual == expected;
        }
        if (actual instanceof Number a && expected instanceof Number e) {
            BigDecimal x = new BigDecimal(a.toString());
            BigDecimal y = new BigDecimal(e.toString());
            BigDecimal tolerance = type instanceof DecimalType decimal
                    ? BigDecimal.ONE.movePointLeft(decimal.scale())
                    : x.abs().max(y.abs()).max(BigDecimal.ONE).multiply(new BigDecimal("1e-9"));
            return x.subtract(y).abs().compareTo(tolerance) <= 0;
        }
        return SparkWorlds.normalize(actual).equals(SparkWorlds.normalize(expected));
    }
}
