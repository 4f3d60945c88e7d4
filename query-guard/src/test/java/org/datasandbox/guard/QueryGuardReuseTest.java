package org.datasandbox.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.datasandbox.guard.catalog.OutputMode;
import org.datasandbox.guard.catalog.Scenario;
import org.datasandbox.guard.explain.Decision;
import org.junit.jupiter.api.Test;

/**
 * The guard keeps per-scenario structures between checks for speed. The oracle: a guard that has
 * answered many queries of several scenarios decides every corpus query exactly as a guard that has
 * never seen a query before (outcome, violations, rewritten SQL, columns and tables).
 */
class QueryGuardReuseTest {
    private static final String REFERENCE = "reference [0-9a-f-]{36}"; // fail-closed refusals log under a fresh id

    /** All reference tables, but no income and no creatinine, and another k: another schema, another rewrite. */
    private static Scenario narrower() {
        Map<String, Set<String>> grants = new HashMap<>();
        ReferenceCatalog.everything().grants().forEach((table, columns) -> {
            Set<String> kept = new HashSet<>(columns);
            kept.remove("income");
            kept.remove("creatinine");
            grants.put(table, kept);
        });
        return new Scenario("narrower", grants, OutputMode.THRESHOLD, 5);
    }

    private static String normalized(Decision decision) {
        return decision.toString().replaceAll(REFERENCE, "reference <id>");
    }

    @Test
    void check_sharedGuardAcrossScenarios_decidesAsAFreshGuard() throws Exception {
        List<Scenario> scenarios = List.of(ReferenceCatalog.everything(), narrower());
        QueryGuard shared = new QueryGuard(new ReferenceCatalog());
        List<GuardCorpus.Entry> corpus = GuardCorpus.load();
        int allowed = 0;
        // every fifth query keeps the test short; the shared guard still moves between scenarios
        for (int i = 0; i < corpus.size(); i += 5) {
            String sql = corpus.get(i).sql();
            Scenario scenario = scenarios.get(i / 5 % scenarios.size());
            Decision reused = shared.check(sql, scenario);
            Decision fresh = new QueryGuard(new ReferenceCatalog()).check(sql, scenario);
            assertThat(normalized(reused)).as(corpus.get(i).id() + " in " + scenario.id()).isEqualTo(normalized(fresh));
            allowed += reused.isAllowed() ? 1 : 0;
        }
        // both outcomes are exercised, so that the comparison covers rewrites as well as refusals
        assertThat(allowed).isBetween(1, corpus.size() / 5 - 1);
    }
}
