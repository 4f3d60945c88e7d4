package org.datasandbox.guard;

import static org.assertj.core.api.Assertions.assertThat;

import org.datasandbox.guard.catalog.Scenario;
import org.datasandbox.guard.explain.Decision;
import org.datasandbox.guard.explain.RuleId;
import org.junit.jupiter.api.Test;

/**
 * A group key must not be computed from an aggregate's value unless the aggregate is per privacy unit: groups
 * keyed by counts merge when one person makes two counts equal (red team, round 21, grammar oracle seed 21).
 */
class GroupKeyOfAggregateValueTest {
    private final QueryGuard guard = new QueryGuard(new ReferenceCatalog());
    private final Scenario everything = ReferenceCatalog.everything();

    private Decision check(String sql) {
        return guard.check(sql, everything);
    }

    @Test
    void check_groupKeyOrDistinctFromAnAggregatesValue_isRefused() {
        for (String sql : new String[] {
                "SELECT n, COUNT(*) AS c FROM (SELECT hospital, COUNT(*) AS n FROM medical_visits GROUP BY hospital) t GROUP BY n",
                "SELECT n + 1 AS m, COUNT(*) AS c FROM (SELECT hospital, COUNT(*) AS n FROM medical_visits GROUP BY hospital) t"
                        + " GROUP BY n + 1",
                "SELECT DISTINCT n FROM (SELECT hospital, COUNT(*) AS n FROM medical_visits GROUP BY hospital) t",
                "SELECT CASE WHEN n > 10 THEN 'big' ELSE 'small' END AS size, COUNT(*) AS c FROM (SELECT hospital, COUNT(*) AS n"
                        + " FROM medical_visits GROUP BY hospital) t GROUP BY CASE WHEN n > 10 THEN 'big' ELSE 'small' END",
                "SELECT r, COUNT(*) AS c FROM (SELECT hospital, RANK() OVER (ORDER BY COUNT(*)) AS r FROM medical_visits"
                        + " GROUP BY hospital) t GROUP BY r"}) {
            Decision decision = check(sql);

            assertThat(decision.isAllowed()).as(sql).isFalse();
            assertThat(decision.violations().get(0).rule()).as(sql).isEqualTo(RuleId.GROUP_BY_NOT_DIMENSION);
            assertThat(decision.violations().get(0).detail()).as(sql).contains("computed from an aggregate");
            assertThat(decision.violations().get(0).suggestion()).as(sql).isNotEmpty();
        }
    }

    @Test
    void check_groupKeyOfTheAggregatesOwnKeysOrOfPerPersonValues_isAllowed() {
        assertThat(check("SELECT hospital, SUM(n) AS s FROM (SELECT hospital, icd10, COUNT(*) AS n FROM medical_visits"
                + " GROUP BY hospital, icd10) t GROUP BY hospital").isAllowed()).isTrue();
        assertThat(check("SELECT hospital, COUNT(*) AS n FROM medical_visits GROUP BY hospital").isAllowed()).isTrue();
    }
}
