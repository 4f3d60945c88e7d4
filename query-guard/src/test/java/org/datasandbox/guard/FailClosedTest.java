package org.datasandbox.guard;

import static org.assertj.core.api.Assertions.assertThat;

import org.datasandbox.guard.explain.Decision;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Whatever the guard's parser, planner or rewrite throws, the query is refused and the guard goes on. */
class FailClosedTest {
    private final QueryGuard guard = new QueryGuard(new ReferenceCatalog());

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT r.district, COUNT(*) FROM medical_visits w RIGHT JOIN (residents r LEFT ANTI JOIN medical_visits v ON r.person_id = v.person_id) ON w.person_id = r.person_id GROUP BY r.district",
        "SELECT r.district, COUNT(*) FROM residents r SEMI JOIN medical_visits v ON r.person_id = v.person_id GROUP BY r.district",
        "SELECT district, COUNT(*) FROM residents GROUP BY district ))",
        "SELECT",
        "",
    })
    void check_queryThatBreaksTheParserOrPlanner_isRefusedWithARule(String sql) {
        Decision decision = guard.check(sql, ReferenceCatalog.everything());

        assertThat(decision.outcome()).isEqualTo(Decision.Outcome.REJECT);
        assertThat(decision.firstViolation()).isPresent();
        // and the guard is still usable afterwards
        assertThat(guard.check("SELECT district, COUNT(*) FROM residents GROUP BY district",
                ReferenceCatalog.everything()).isAllowed()).isTrue();
    }
}
