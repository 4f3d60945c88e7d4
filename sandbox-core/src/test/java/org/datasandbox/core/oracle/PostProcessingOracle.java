package org.datasandbox.core.oracle;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.datasandbox.guard.explain.Decision;

/**
 * Judges an allowed computation over aggregate values by the post-processing rule (README "What the guard
 * enforces"), knowing nothing of the rewrite: (1) the values it reads are released: the inner aggregate, as a query
 * of its own ({@code cells}), is allowed and passes {@link PerturbationOracle}; (2) it is a function of them alone:
 * on D and its block neighbours the guarded query releases what Spark computes by running the outer computation
 * ({@code outer}, over a relation named {@code t}) without the guard over the rows {@code cells} releases in that
 * world; the same rows, in the same order when {@code ordered} (then on D and every third neighbour, each world a
 * Spark job of its own).
 */
final class PostProcessingOracle {
    private final OracleFixture fixture;
    private final List<Integer> worlds = new ArrayList<>();
    private final Map<String, List<String>> cellLeaks = new HashMap<>();
    private final List<String> notAnalyzable = new ArrayList<>();

    PostProcessingOracle(OracleFixture fixture) {
        this.fixture = fixture;
        for (int w = 0; w <= 2 * ((OracleFixture.PEOPLE + OracleFixture.BLOCK - 1) / OracleFixture.BLOCK); w++) {
            worlds.add(w);
        }
    }

    /** The allowed queries whose outer computation Spark cannot analyze as written: not compared. */
    List<String> notAnalyzable() {
        return List.copyOf(notAnalyzable);
    }

    int worlds() {
        return worlds.size();
    }

    /** The findings on one allowed query: empty when it reads only released values and computes only from them. */
    List<String> judge(Decision decision, String sql, String cells, int cellKeys, String outer, boolean ordered) {
        List<String> findings = new ArrayList<>();
        Decision inner = fixture.guard.check(cells, fixture.scenario);
        if (!inner.isAllowed()) {
            findings.add(sql + "\n    reads values the guard does not release: " + cells);
            return findings;
        }
        String released = inner.rewrittenSql().orElseThrow();
        cellLeaks.computeIfAbsent(released, r -> fixture.oracle.judge(r, cellKeys).leaks())
                .forEach(l -> findings.add(sql + "\n    a cell it reads: " + l));
        SparkWorlds spark = fixture.oracle.worlds();
        // an order is seen world by world (one Spark job each, not one batch): D and every third neighbour
        List<Integer> compared = ordered ? worlds.stream().filter(w -> w % 3 == 0).toList() : worlds;
        Map<Integer, SparkWorlds.Outcome> guarded = spark.run(decision.rewrittenSql().orElseThrow(), compared, ordered);
        Map<Integer, SparkWorlds.Outcome> expected = spark.run("WITH t AS (" + released + ") " + outer, compared, ordered);
        if (expected.values().stream().allMatch(o -> o.failed() && o.failure().contains("AnalysisException"))) {
            // Spark cannot analyze some outer computations as written (an aggregate in ORDER BY beside a window);
            // the guard runs its own plan, so only the comparison is lost
            notAnalyzable.add(sql);
            return findings;
        }
        for (int w : compared) {
            String got = rows(guarded.get(w), ordered);
            String want = rows(expected.get(w), ordered);
            if (!got.equals(want)) {
                findings.add(sql + "\n    world " + w + " releases " + got + ", the outer computation over the released"
                        + " rows gives " + want);
                break;
            }
        }
        return findings;
    }

    /** A world's rows as one text: in their order when the query orders them, else as a sorted multiset. */
    private static String rows(SparkWorlds.Outcome outcome, boolean ordered) {
        if (outcome.failed()) {
            return "failure " + outcome.failure();
        }
        List<String> rows = outcome.rows().stream().map(Object::toString).toList();
        return (ordered ? rows : rows.stream().sorted().toList()).toString();
    }
}
