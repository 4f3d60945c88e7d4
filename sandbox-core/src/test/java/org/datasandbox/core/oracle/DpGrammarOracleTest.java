package org.datasandbox.core.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.datasandbox.core.TestSandbox;
import org.datasandbox.guard.QueryGuard;
import org.datasandbox.guard.catalog.ContributionBounds;
import org.datasandbox.guard.catalog.GuardColumn;
import org.datasandbox.guard.catalog.GuardTable;
import org.datasandbox.guard.catalog.OutputMode;
import org.datasandbox.guard.catalog.Scenario;
import org.datasandbox.guard.dp.DpQuery;
import org.datasandbox.guard.explain.Decision;
import org.datasandbox.guard.explain.Violation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link GrammarSqlGenerator}'s queries, which know no attack and were written for threshold mode, in a DP scenario
 * with contribution bounds that bite. The rule the DP proof rests on, checked without knowing how the rewrite
 * bounds anything: for every query the guard allows, the pre-noise partials ({@link DpQuery#sparkSql()}) on D and
 * on D with one person removed, or with one person given 100 more rows, differ by at most the sensitivity the plan
 * states for its L0, Linf and clamping bounds ({@link DpSensitivityOracle}: per group, over all groups, and in the
 * unit count that partition selection reads, so that no key exists only because of one person with more than one
 * unit behind it). And the guard decides every query without throwing.
 * The number of queries is {@code -Doracle.dp.grammar.queries}, the seed {@code -Doracle.dp.grammar.seed}.
 */
class DpGrammarOracleTest {
    static final int QUERIES = Integer.getInteger("oracle.dp.grammar.queries", 250);
    static final long SEED = Long.getLong("oracle.dp.grammar.seed", 22L);
    static final int DP_QUERIES = Integer.getInteger("oracle.dp.dpgrammar.queries", 250);
    static final long DP_SEED = Long.getLong("oracle.dp.dpgrammar.seed", 23L);
    static final ContributionBounds BITING = new ContributionBounds(2, 2);

    private static List<Long> people;
    private static DpSensitivityOracle oracle;

    @BeforeAll
    static void worlds() {
        TestSandbox.get();
        OracleData data = OracleData.generate(OracleFixture.PEOPLE, OracleFixture.SEED);
        people = DpRewriteExecutionTest.neighbourPeople(data);
        List<OracleData> worlds = new ArrayList<>();
        worlds.add(data);
        people.forEach(pid -> worlds.add(data.without(pid)));
        people.forEach(pid -> worlds.add(DpRewriteExecutionTest.withExtraRows(data, pid)));
        SparkSession spark = SparkSession.builder().getOrCreate().newSession();
        new SparkWorlds(spark, worlds);
        oracle = new DpSensitivityOracle(spark);
    }

    @Test
    void guardDp_grammarQueries_partialsMoveWithinTheStatedSensitivityAndTheGuardNeverThrows() {
        List<String> queries = new GrammarSqlGenerator(SEED).generate(QUERIES).stream()
                .map(GrammarSqlGenerator.Query::sql).toList();
        Outcome outcome = judge("DP grammar oracle (threshold-mode grammar)", queries, SEED);
        assertThat(outcome.allowed()).as("allowed generated queries").isPositive();
    }

    /**
     * {@link DpGrammarSqlGenerator}'s queries, the shapes DP mode is meant to allow and some it must refuse: the
     * same rule and oracle, with the depth DP mode has; a good share must be allowed, or the oracle proves little.
     */
    @Test
    void guardDp_dpGrammarQueries_partialsMoveWithinTheStatedSensitivityAndTheGuardNeverThrows() {
        List<String> queries = new DpGrammarSqlGenerator(DP_SEED).generate(DP_QUERIES).stream()
                .map(DpGrammarSqlGenerator.Query::sql).toList();
        Outcome outcome = judge("DP grammar oracle (DP-mode grammar)", queries, DP_SEED);
        assertThat(outcome.allowed()).as("allowed DP-mode grammar queries").isGreaterThanOrEqualTo(DP_QUERIES * 3 / 10);
        assertThat(outcome.groups()).as("groups compared").isGreaterThan(outcome.allowed());
    }

    /** What a run found: allowed queries, the groups they released on D. */
    private record Outcome(int allowed, int groups) {
    }

    private Outcome judge(String label, List<String> queries, long seed) {
        QueryGuard guard = new QueryGuard(new OracleCatalog(), new SplittableRandom(seed));
        Scenario scenario = new Scenario("oracle-dp-grammar", grants(), OutputMode.DP, OracleFixture.K,
                Scenario.SmallGroups.SUPPRESS, BITING);
        Map<String, Integer> refusals = new TreeMap<>();
        List<String> crashes = new ArrayList<>();
        List<String> violations = new ArrayList<>();
        List<String> failedInside = new ArrayList<>();
        int allowed = 0;
        int groups = 0;
        for (String sql : queries) {
            Decision decision;
            try {
                decision = guard.check(sql, scenario);
            } catch (Throwable e) { // the guard must refuse, never throw
                crashes.add(sql + "\n    " + e.getClass().getName());
                continue;
            }
            if (decision.dpQuery().isEmpty()) {
                assertThat(decision.isAllowed()).as("a DP decision allows only with its plan: " + sql).isFalse();
                for (Violation v : decision.violations()) {
                    refusals.merge(v.rule().name(), 1, Integer::sum);
                }
                if (decision.violations().stream().anyMatch(v -> v.detail().contains("could not analyze"))) {
                    failedInside.add(sql); // refused because the guard failed inside (deny by default): counted
                }
                continue;
            }
            allowed++;
            DpQuery dp = decision.dpQuery().get();
            List<String> found = new ArrayList<>();
            try {
                Map<Integer, List<Row>> rows = oracle.run(dp.sparkSql(), worldIds());
                groups += rows.get(0).size();
                for (int w = 1; w <= 2 * people.size(); w++) {
                    DpSensitivityOracle.Neighbour kind = w <= people.size() ? DpSensitivityOracle.Neighbour.REMOVED
                            : DpSensitivityOracle.Neighbour.CHANGED;
                    long pid = people.get((w - 1) % people.size());
                    DpSensitivityOracle.violations(dp, rows.get(0), rows.get(w), kind)
                            .forEach(v -> found.add(kind + " " + pid + ": " + v));
                }
            } catch (RuntimeException e) { // an allowed plan Spark cannot run is a finding too
                found.add("Spark failed: " + e.getClass().getSimpleName() + ": "
                        + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
            }
            if (!found.isEmpty()) {
                violations.add(sql + "\n    " + String.join("\n    ", found));
            }
        }
        System.out.printf("%s: %d generated (seed %d), %d allowed, %d refused (%d of them because the guard failed"
                        + " inside), %d guard crashes, %d violations; %d groups on D, each against %d neighbours%n",
                label, queries.size(), seed, allowed, queries.size() - allowed - crashes.size(), failedInside.size(),
                crashes.size(), violations.size(), groups, 2 * people.size());
        System.out.println("DP refusals by rule: " + refusals);
        failedInside.forEach(q -> System.out.println("FAILED INSIDE " + q));
        violations.forEach(v -> System.out.println("VIOLATION " + v));
        crashes.forEach(c -> System.out.println("CRASH " + c));
        assertThat(crashes).as("queries on which the guard threw instead of refusing").isEmpty();
        assertThat(violations).as("allowed queries whose partials move beyond the stated sensitivity").isEmpty();
        return new Outcome(allowed, groups);
    }

    private static List<Integer> worldIds() {
        List<Integer> ids = new ArrayList<>();
        for (int w = 0; w <= 2 * people.size(); w++) {
            ids.add(w);
        }
        return ids;
    }

    private static Map<String, java.util.Set<String>> grants() {
        return OracleCatalog.TABLES.values().stream().collect(Collectors.toMap(GuardTable::name,
                t -> t.columns().stream().map(GuardColumn::name).collect(Collectors.toSet())));
    }
}
