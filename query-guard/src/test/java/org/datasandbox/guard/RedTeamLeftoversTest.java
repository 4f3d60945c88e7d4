package org.datasandbox.guard;

import static org.assertj.core.api.Assertions.assertThat;

import org.datasandbox.guard.catalog.Scenario;
import org.datasandbox.guard.explain.Decision;
import org.datasandbox.guard.explain.RuleId;
import org.datasandbox.guard.explain.SqlPosition;
import org.datasandbox.guard.explain.Violation;
import org.junit.jupiter.api.Test;

/**
 * Threshold-mode leftovers of the red team (round 22), each judged by its rule; the same queries over the oracle's
 * tables are in sandbox-core's {@code oracle/red-team-regressions.txt}, judged by the oracles.
 */
class RedTeamLeftoversTest {
    private final QueryGuard guard = new QueryGuard(new ReferenceCatalog());
    private final Scenario everything = ReferenceCatalog.everything();

    private Decision check(String sql) {
        return guard.check(sql, everything);
    }

    private Violation refused(String sql) {
        Decision decision = check(sql);
        assertThat(decision.isAllowed()).as(sql).isFalse();
        return decision.firstViolation().orElseThrow();
    }

    /** Column (1-based) of the first occurrence of a fragment on a one-line query. */
    private static SqlPosition at(String sql, String fragment) {
        return new SqlPosition(1, sql.indexOf(fragment) + 1);
    }

    @Test
    void check_windowPartitionedByAnAggregatesValueOverTheGroups_isPostProcessing() {
        // round 22 refused these (one person who makes two counts equal merges two partitions); since round 24 a
        // computation over released values is post-processing: the partitions are a function of the released rows
        for (String sql : new String[] {
                "SELECT w, COUNT(*) AS c FROM (SELECT hospital, SUM(n) OVER (PARTITION BY n) AS w"
                        + " FROM (SELECT hospital, COUNT(*) AS n FROM medical_visits GROUP BY hospital) t) u GROUP BY w",
                "SELECT hospital, COUNT(*) AS n, COUNT(*) OVER (PARTITION BY COUNT(*)) AS ties FROM medical_visits GROUP BY hospital",
                "SELECT hospital, SUM(COUNT(*)) OVER (PARTITION BY COUNT(*) + 1) AS w FROM medical_visits GROUP BY hospital",
                "SELECT SUM(w) AS s FROM (SELECT hospital, COUNT(*) OVER (PARTITION BY n) AS w FROM (SELECT hospital,"
                        + " COUNT(*) AS n FROM medical_visits GROUP BY hospital) t) u"}) {
            assertThat(check(sql).isAllowed()).as(sql).isTrue();
        }
    }

    @Test
    void check_windowOverTheGroupsPartitionedByTheirKeysOrNothing_isPostProcessing() {
        assertThat(check("SELECT hospital, icd10, COUNT(*) AS n, SUM(COUNT(*)) OVER (PARTITION BY hospital) AS t"
                + " FROM medical_visits GROUP BY hospital, icd10").isAllowed()).isTrue();
        assertThat(check("SELECT hospital, COUNT(*) AS n, RANK() OVER (ORDER BY COUNT(*)) AS r FROM medical_visits"
                + " GROUP BY hospital").isAllowed()).isTrue();
    }

    @Test
    void rewrite_caseInHavingOverASuppressibleCell_isNullWhenTheCellIs() {
        Decision decision = check("SELECT district, COUNT(*) AS n FROM residents GROUP BY district HAVING CASE WHEN"
                + " SUM(income) FILTER (WHERE diagnosis = 'rare') > 9 THEN 1 ELSE 0 END = 0");

        assertThat(decision.isAllowed()).isTrue();
        // the HAVING's CASE reads the thresholded cell, so it is wrapped: a suppressed cell makes it NULL (row dropped)
        String having = decision.rewrittenSql().orElseThrow();
        assertThat(having).containsPattern("(?s)WHERE.*CASE WHEN .* IS NULL THEN NULL ELSE");
    }

    @Test
    void rewrite_caseOverASuppressibleCellAboveAFilterJoinOrUnion_isNullWhenTheCellIs() {
        String filtered = check("SELECT d, n FROM (SELECT district AS d, COUNT(*) AS n, SUM(income) FILTER (WHERE"
                + " diagnosis = 'rare') AS s FROM residents GROUP BY district) t WHERE CASE WHEN s > 9 THEN 1 ELSE 0 END = 0")
                .rewrittenSql().orElseThrow();
        String joined = check("SELECT a.d, a.n, CASE WHEN b.s > 9 THEN 1 ELSE 0 END AS big FROM (SELECT district AS d,"
                + " COUNT(*) AS n FROM residents GROUP BY district) a JOIN (SELECT district, SUM(income) FILTER (WHERE"
                + " diagnosis = 'rare') AS s FROM residents GROUP BY district) b ON a.d = b.district")
                .rewrittenSql().orElseThrow();

        String united = check("SELECT d, CASE WHEN s > 9 THEN 1 ELSE 0 END AS big FROM (SELECT district AS d, SUM(income)"
                + " FILTER (WHERE diagnosis = 'rare') AS s FROM residents GROUP BY district UNION ALL SELECT gender,"
                + " SUM(income) FILTER (WHERE diagnosis = 'rare') FROM residents GROUP BY gender) t")
                .rewrittenSql().orElseThrow();

        assertThat(filtered).containsPattern("(?s)WHERE CASE WHEN .* IS NULL THEN NULL ELSE");
        assertThat(united).containsPattern("(?s)CASE WHEN .* IS NULL THEN NULL ELSE CASE WHEN .* > .* THEN 1 ELSE 0 END END");
        assertThat(joined).containsPattern("(?s)CASE WHEN .* IS NULL THEN NULL ELSE CASE WHEN .* > .* THEN 1 ELSE 0 END END");
    }

    @Test
    void check_groupKeyOfAnAggregatesValue_pointsAtTheGroupingNotTheSelect() {
        // keys from an aggregate's value over people's rows (joined back): still refused since round 24
        String inner = " FROM medical_visits v JOIN (SELECT hospital, COUNT(*) AS n FROM medical_visits GROUP BY hospital) a"
                + " ON v.hospital = a.hospital";
        String byValue = "SELECT a.n, COUNT(*) AS c" + inner + " GROUP BY a.n";
        String distinct = "SELECT DISTINCT a.n AS k" + inner;
        String expression = "SELECT a.n + 1 AS m, COUNT(*) AS c" + inner + " GROUP BY a.n + 1";

        assertThat(refused(byValue).position()).isEqualTo(at(byValue, "a.n", byValue.lastIndexOf("GROUP BY a.n")));
        assertThat(refused(distinct).position()).isEqualTo(at(distinct, "a.n AS k"));
        assertThat(refused(expression).position()).isEqualTo(at(expression, "a.n + 1", expression.lastIndexOf("GROUP BY")));
    }

    private static SqlPosition at(String sql, String fragment, int from) {
        return new SqlPosition(1, sql.indexOf(fragment, from) + 1);
    }

    @Test
    void check_dateRangeWithADateAddBound_isJudgedByItsWidth() {
        assertThat(check("SELECT hospital, COUNT(*) AS n FROM medical_visits WHERE visit_date >= DATE '2025-01-01'"
                + " AND visit_date < DATE_ADD(DATE '2025-01-01', 90) GROUP BY hospital").isAllowed()).isTrue();
        assertThat(check("SELECT hospital, COUNT(*) AS n FROM medical_visits WHERE visit_date BETWEEN"
                + " DATE_SUB(DATE '2025-06-01', 90) AND DATE '2025-06-01' GROUP BY hospital").isAllowed()).isTrue();
        assertThat(check("SELECT hospital, COUNT(*) AS n FROM medical_visits WHERE visit_date < DATE_ADD(DATE"
                + " '2025-01-01', 1) GROUP BY hospital").isAllowed()).isTrue();

        Violation narrow = refused("SELECT hospital, COUNT(*) AS n FROM medical_visits WHERE visit_date BETWEEN"
                + " DATE '2025-01-01' AND DATE_ADD(DATE '2025-01-01', 3) GROUP BY hospital");
        assertThat(narrow.rule()).isEqualTo(RuleId.IDENTIFIER_FILTER);
        assertThat(narrow.detail()).contains("visit_date");
    }
}
