package org.datasandbox.core.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.datasandbox.guard.explain.Decision;
import org.junit.jupiter.api.Test;

/**
 * The perturbation oracle over generated queries: every query the guard allows runs on D and its
 * neighbours, and no released cell may be moved by 1 to k-1 people, nor the job's failure by anyone;
 * the guard itself must decide every query without throwing.
 * The count of generated queries is {@code -Doracle.fuzz.queries} (default below), the seed
 * {@code -Doracle.fuzz.seed}; the report names each leaking query with its shape.
 */
class GuardFuzzOracleTest {
    static final int QUERIES = Integer.getInteger("oracle.fuzz.queries", 150);
    static final long SEED = Long.getLong("oracle.fuzz.seed", 7L);

    @Test
    void guard_generatedQueries_releaseNothingThatFewerThanKPeopleMove() {
        OracleFixture f = OracleFixture.get();
        List<String> leaks = new ArrayList<>();
        Map<String, Integer> leaksByShape = new TreeMap<>();
        int allowed = 0;
        int failing = 0;
        int worlds = 0;
        long millis = 0;
        List<String> crashes = new ArrayList<>();
        for (SqlFuzzer.FuzzQuery query : new SqlFuzzer(SEED).generate(QUERIES)) {
            Decision decision;
            try {
                decision = f.guard.check(query.sql(), f.scenario);
            } catch (Throwable e) { // the guard must refuse, never throw: a crash loses the rest of a batch
                crashes.add("[" + query.shape() + "] " + query.sql() + "\n    " + e.getClass().getName());
                continue;
            }
            if (!decision.isAllowed()) {
                continue;
            }
            allowed++;
            PerturbationOracle.Verdict verdict = f.oracle.judge(decision.rewrittenSql().orElseThrow(), query.keys());
            worlds += verdict.worldsRun();
            millis += verdict.millis();
            failing += verdict.baseFailure() == null ? 0 : 1;
            if (verdict.leaked()) {
                leaks.add("[" + query.shape() + "] " + query.sql() + "\n    " + String.join("\n    ", verdict.leaks()));
                for (String part : query.shape().split(", ")) {
                    leaksByShape.merge(part, 1, Integer::sum);
                }
            }
        }
        System.out.printf("perturbation oracle: %d generated, %d allowed, %d refused, %d allowed queries that fail on D,"
                        + " %d leaks, %d guard crashes; %d worlds run in %d ms (%.0f ms per allowed query)%n", QUERIES,
                allowed, QUERIES - allowed - crashes.size(), failing, leaks.size(), crashes.size(), worlds, millis, allowed == 0 ? 0.0 : (double) millis / allowed);
        System.out.println("leaking queries per shape element: " + leaksByShape);
        leaks.forEach(l -> System.out.println("LEAK " + l));
        crashes.forEach(c -> System.out.println("CRASH " + c));
        assertThat(allowed).as("allowed generated queries").isGreaterThanOrEqualTo(QUERIES / 10);
        assertThat(leaks).as("released cells that fewer than k people move").isEmpty();
        assertThat(crashes).as("queries on which the guard threw instead of refusing").isEmpty();
    }
}
