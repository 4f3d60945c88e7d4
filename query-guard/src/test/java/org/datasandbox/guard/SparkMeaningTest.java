package org.datasandbox.guard;

import static org.assertj.core.api.Assertions.assertThat;

import org.datasandbox.guard.catalog.Scenario;
import org.datasandbox.guard.explain.Decision;
import org.datasandbox.guard.explain.RuleId;
import org.junit.jupiter.api.Test;

/**
 * The SQL Spark runs means what the user wrote and the guard judged: findings of the red team's grammar
 * oracle (sandbox-core {@code GrammarOracleTest}, which compares every release with Spark's own answer to
 * the query) where the unparsed plan computed another value or type than the query.
 */
class SparkMeaningTest {
    private final QueryGuard guard = new QueryGuard(new ReferenceCatalog());
    private final Scenario everything = ReferenceCatalog.everything();

    private Decision check(String sql) {
        return guard.check(sql, everything);
    }

    @Test
    void check_dateAddOfADate_runsAsSparkDateAddNotAsATimestamp() {
        Decision decision = check("SELECT district, DATE_ADD(DATE '1945-05-05', 392) AS d, DATE_SUB(DATE '1945-05-05', 3) AS e,"
                + " COUNT(*) AS n FROM residents GROUP BY district");

        assertThat(decision.isAllowed()).isTrue();
        assertThat(decision.rewrittenSql().orElseThrow())
                .contains("DATE_ADD(DATE '1945-05-05', 392)", "DATE_SUB(DATE '1945-05-05', 3)")
                .doesNotContain("INTERVAL");
    }

    @Test
    void check_dateArithmeticInAGroupKey_runsAsSparkDateAdd() {
        Decision decision = check("SELECT DATE_ADD(DATE '2000-01-01', 10) AS d, COUNT(*) AS n FROM residents"
                + " GROUP BY DATE_ADD(DATE '2000-01-01', 10)");

        assertThat(decision.rewrittenSql().orElseThrow()).contains("DATE_ADD(DATE '2000-01-01', 10)").doesNotContain("INTERVAL");
    }

    @Test
    void check_modOfAFloatingPointValue_isRefused() {
        for (String sql : new String[] {"SELECT district, SUM(income) % 8 AS m FROM residents GROUP BY district",
                "SELECT district, MOD(AVG(income), 8) AS m FROM residents GROUP BY district"}) {
            Decision decision = check(sql);

            assertThat(decision.isAllowed()).as(sql).isFalse();
            assertThat(decision.violations().get(0).rule()).as(sql).isEqualTo(RuleId.FUNCTION_NOT_ALLOWED);
            assertThat(decision.violations().get(0).detail()).contains("mod of a floating-point value");
        }
    }

    @Test
    void check_modOfAnIntegerOrACastToBigint_isAllowed() {
        assertThat(check("SELECT district, COUNT(*) % 8 AS m FROM residents GROUP BY district").isAllowed()).isTrue();
        assertThat(check("SELECT district, CAST(SUM(income) AS BIGINT) % 8 AS m FROM residents GROUP BY district").isAllowed())
                .isTrue();
    }

    @Test
    void check_conditionsThatCanNeverHoldReducedToConstants_isRefused() {
        for (String sql : new String[] {
                "SELECT DISTINCT DATE '1977-10-03' AS k0 FROM medical_visits v WHERE NOT EXISTS (SELECT 1 FROM residents r"
                        + " WHERE r.person_id = v.person_id) AND 1 = 0 GROUP BY DATE '1977-10-03'",
                "SELECT diagnosis, SUM(income) AS s FROM residents WHERE income IS NULL AND income < (SELECT COUNT(*) FROM"
                        + " medical_visits) AND income > 2000000 GROUP BY diagnosis"}) {
            Decision decision = check(sql);

            assertThat(decision.isAllowed()).as(sql).isFalse();
            assertThat(decision.violations().get(0).rule()).as(sql).isEqualTo(RuleId.UNSUPPORTED_CONSTRUCT);
            assertThat(decision.violations().get(0).detail()).as(sql).contains("can never hold");
        }
        assertThat(check("SELECT 1 AS one").isAllowed()).as("a query that reads no table is its own answer").isTrue();
    }

    @Test
    void check_caseOverAConditionalCell_isNullWhenTheCellIsSuppressed() {
        Decision decision = check("SELECT CASE WHEN SUM(income) FILTER (WHERE diagnosis = 'rare') > 9 THEN 1 ELSE 0 END AS a0,"
                + " COUNT(*) AS a1 FROM residents");

        assertThat(decision.isAllowed()).isTrue();
        String sql = decision.rewrittenSql().orElseThrow();
        assertThat(sql).containsPattern("CASE WHEN .* IS NULL THEN NULL ELSE CASE WHEN");
    }

    @Test
    void check_valuesThatPassNullOnOverACell_areNotWrapped() {
        Decision decision = check("SELECT district, SUM(income) FILTER (WHERE diagnosis = 'rare') / 2 AS a0 FROM residents"
                + " GROUP BY district");

        assertThat(decision.isAllowed()).isTrue();
        assertThat(decision.rewrittenSql().orElseThrow()).doesNotContain("IS NULL THEN NULL");
    }
}
