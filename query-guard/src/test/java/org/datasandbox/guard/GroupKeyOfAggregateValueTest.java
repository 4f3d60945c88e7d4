package org.datasandbox.guard;

import static org.assertj.core.api.Assertions.assertThat;

import org.datasandbox.guard.catalog.Scenario;
import org.datasandbox.guard.explain.Decision;
import org.datasandbox.guard.explain.RuleId;
import org.junit.jupiter.api.Test;

/**
 * A computation over aggregate values is post-processing, allowed exactly when every value it reads has been
 * released by the mode's mechanism and it reads no unit-level row (README "What the guard enforces"). In threshold
 * mode a group key computed from aggregated rows' values reads rows thresholded where they were aggregated; a key
 * computed from an aggregate's value that groups people's rows is a release of its own, re-drawn by one person.
 */
class GroupKeyOfAggregateValueTest {
    private final QueryGuard guard = new QueryGuard(new ReferenceCatalog());
    private final Scenario everything = ReferenceCatalog.everything();

    private Decision check(String sql) {
        return guard.check(sql, everything);
    }

    @Test
    void check_groupKeyOrDistinctFromReleasedAggregateValues_isAllowedAsPostProcessing() {
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

            assertThat(decision.isAllowed()).as(sql).isTrue();
        }
    }

    @Test
    void check_groupKeyFromAnAggregatesValueOverPeoplesRows_isRefused() {
        String sql = "SELECT a.n, COUNT(*) AS c FROM medical_visits v JOIN (SELECT hospital, COUNT(*) AS n FROM medical_visits"
                + " GROUP BY hospital) a ON v.hospital = a.hospital GROUP BY a.n";

        Decision decision = check(sql);

        assertThat(decision.isAllowed()).isFalse();
        assertThat(decision.violations().get(0).rule()).isEqualTo(RuleId.GROUP_BY_NOT_DIMENSION);
        assertThat(decision.violations().get(0).detail()).contains("computed from an aggregate");
        assertThat(decision.violations().get(0).suggestion()).isNotEmpty();
    }

    @Test
    void check_thresholdOfTheInnerAggregate_sitsUnderTheOuterGrouping() {
        Decision decision = check("SELECT n, COUNT(*) AS c FROM (SELECT hospital, COUNT(*) AS n FROM medical_visits"
                + " GROUP BY hospital) t GROUP BY n");

        String sql = decision.rewrittenSql().orElseThrow();
        // the inner aggregate's HAVING (its k people) comes before the outer GROUP BY reads its rows
        assertThat(sql).containsPattern("(?s)HAVING COUNT\\(DISTINCT .*\\) >= 10.*GROUP BY");
    }

    @Test
    void check_groupKeyOfTheAggregatesOwnKeysOrOfPerPersonValues_isAllowed() {
        assertThat(check("SELECT hospital, SUM(n) AS s FROM (SELECT hospital, icd10, COUNT(*) AS n FROM medical_visits"
                + " GROUP BY hospital, icd10) t GROUP BY hospital").isAllowed()).isTrue();
        assertThat(check("SELECT n, COUNT(*) AS c FROM (SELECT person_id, COUNT(*) AS n FROM medical_visits"
                + " GROUP BY person_id) t GROUP BY n").isAllowed()).isTrue();
        assertThat(check("SELECT hospital, COUNT(*) AS n FROM medical_visits GROUP BY hospital").isAllowed()).isTrue();
    }
}
