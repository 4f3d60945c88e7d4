package org.datasandbox.core.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.datasandbox.guard.explain.Decision;
import org.datasandbox.guard.explain.Violation;
import org.junit.jupiter.api.Test;

/**
 * Computations over aggregate values, threshold mode. The rule (README "What the guard enforces"): a computation
 * over aggregate values is post-processing, and so allowed, exactly when every value it reads has already been
 * released by the mode's mechanism and it reads no unit-level row; otherwise it is refused. Judged, on
 * {@link GrammarSqlGenerator#generateNested}'s queries (outer GROUP BY, aggregates, ranks, filters, DISTINCT,
 * partitions, ORDER BY and LIMIT over an inner aggregate; and the inner aggregate's value joined back to rows), by
 * two oracles that know nothing of the rewrite:
 * <ol>
 *   <li>what it reads is released: the inner aggregate, as a query of its own, is allowed and passes the
 *       perturb-one-person oracle ({@link PerturbationOracle}: every cell some person moves, at least k move);</li>
 *   <li>it is a function of the released values alone: on D and its 20 block neighbours, the guarded query
 *       releases exactly what Spark computes by running the outer computation, without the guard, over the rows
 *       the inner query releases in that world (the same rows; in the same order when the query orders them, on
 *       D and every third neighbour). A
 *       suppressed group or cell that influenced any output, or an order taken from a value not released, would
 *       make the two differ in some world.</li>
 * </ol>
 * The number of queries is {@code -Doracle.nested.queries}, the seed {@code -Doracle.nested.seed}.
 */
class NestedAggregateOracleTest {
    static final int QUERIES = Integer.getInteger("oracle.nested.queries", 16);
    static final long SEED = Long.getLong("oracle.nested.seed", 25L);

    @Test
    void guard_computationsOverAggregateValues_readOnlyReleasedValuesOnEveryNeighbour() {
        OracleFixture f = OracleFixture.get();
        PostProcessingOracle oracle = new PostProcessingOracle(f);
        List<String> findings = new ArrayList<>();
        Map<String, Integer> refusals = new TreeMap<>();
        Map<String, Integer> allowedByShape = new TreeMap<>();
        int allowed = 0;
        long start = System.nanoTime();
        List<GrammarSqlGenerator.Nested> queries = new GrammarSqlGenerator(SEED).generateNested(QUERIES);
        for (GrammarSqlGenerator.Nested query : queries) {
            Decision decision;
            try {
                decision = f.guard.check(query.sql(), f.scenario);
            } catch (Throwable e) { // the guard decides, never throws
                findings.add(query.sql() + "\n    the guard threw " + e.getClass().getName());
                continue;
            }
            if (!decision.isAllowed()) {
                decision.violations().stream().map(Violation::rule).forEach(r -> refusals.merge(r.name(), 1, Integer::sum));
                continue;
            }
            allowed++;
            allowedByShape.merge(query.shape().replace("grammar inner, ", ""), 1, Integer::sum);
            findings.addAll(oracle.judge(decision, query.sql(), query.cells(), query.cellKeys(), query.outer(),
                    query.ordered()));
        }
        System.out.printf("nested aggregate oracle: %d generated (seed %d), %d allowed %s, %d refused %s, each allowed one"
                        + " compared on %d worlds, %d findings, %d ms%n", queries.size(), SEED, allowed, allowedByShape,
                queries.size() - allowed, refusals, oracle.worlds(), findings.size(), (System.nanoTime() - start) / 1_000_000);
        findings.forEach(l -> System.out.println("FINDING " + l));
        oracle.notAnalyzable().forEach(q -> System.out.println("SPARK CANNOT ANALYZE THE OUTER COMPUTATION " + q));
        assertThat(allowed).as("nested queries allowed").isGreaterThanOrEqualTo(QUERIES / 4);
        assertThat(findings).as("computations over aggregate values that read what is not released").isEmpty();
    }
}
