package org.datasandbox.guard;

import static org.assertj.core.api.Assertions.assertThat;

import org.datasandbox.guard.explain.Decision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How the threshold rewrite counts units. The rule: {@code COUNT(unit)} equals {@code COUNT(DISTINCT unit)}
 * in every group exactly when no unit has two rows in the aggregate's input; the rewrite uses the cheaper
 * count only where the plan and the catalog prove that ({@code residents} and {@code patients} are declared
 * one row per person in {@link ReferenceCatalog}; {@code medical_visits} is not), and keeps DISTINCT when
 * unsure. sandbox-core's oracles check released values on Spark against neighbours and an independent database.
 */
class UnitCountTest {
    private final QueryGuard guard = new QueryGuard(new ReferenceCatalog());

    private String rewritten(String sql) {
        Decision decision = guard.check(sql, ReferenceCatalog.everything());
        assertThat(decision.violations()).as(sql).isEmpty();
        return decision.rewrittenSql().orElseThrow();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT district, COUNT(*), ROUND(AVG(income), 2) FROM residents GROUP BY district",
        "SELECT district, SUM(income) FROM residents WHERE income > 1000 GROUP BY district",
        "SELECT d, COUNT(*) FROM (SELECT district AS d, person_id FROM residents) t GROUP BY d",
        "SELECT gender, COUNT(*) FROM residents r WHERE EXISTS (SELECT 1 FROM medical_visits v WHERE v.person_id = r.person_id) GROUP BY gender",
        "SELECT district, MAX(gender) FROM residents GROUP BY district",
        "SELECT n, COUNT(*) FROM (SELECT person_id, COUNT(*) AS n FROM medical_visits GROUP BY person_id) t GROUP BY n"})
    void rewrite_rowsProvenOnePerUnit_countsWithoutDistinct(String sql) {
        // rows of a declared table have their unit: COUNT(*); per-person rows are counted by their unit
        assertThat(rewritten(sql)).doesNotContain("DISTINCT").contains(">= 10")
                .containsPattern("COUNT\\(\\*\\) `__privacy_units`|HAVING COUNT\\((\\*|`[a-z_.`]+)\\) >= 10");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // an event table: a person has many rows
        "SELECT hospital, COUNT(*) FROM medical_visits GROUP BY hospital",
        // each resident meets all their visits: the resident's row is repeated
        "SELECT r.district, COUNT(*) FROM residents r JOIN medical_visits v ON r.person_id = v.person_id GROUP BY r.district",
        // each visit meets every visit of the same person
        "SELECT a.hospital, COUNT(*) FROM medical_visits a JOIN medical_visits b ON a.person_id = b.person_id GROUP BY a.hospital",
        // grouped by the unit and more: one person on several rows
        "SELECT g, COUNT(*) FROM (SELECT person_id, hospital AS g FROM medical_visits GROUP BY person_id, hospital) t GROUP BY g"})
    void rewrite_rowsNotProvenOnePerUnit_keepsDistinct(String sql) {
        assertThat(rewritten(sql)).doesNotContainPattern("COUNT\\(`").contains("COUNT(DISTINCT");
    }

    @Test
    void rewrite_joinOfTwoDeclaredTablesOnTheUnit_countsEachSideWithoutDistinct() {
        // each resident meets at most one other resident row (the unit is unique on both sides): every side's
        // units stay one per row; only the merged unit of the group (COALESCE of both sides) keeps DISTINCT
        String sql = rewritten("SELECT a.district, SUM(b.income) FROM residents a JOIN residents b ON a.person_id = b.person_id"
                + " GROUP BY a.district");
        assertThat(sql).contains("COUNT(DISTINCT COALESCE(").containsPattern("COUNT\\((\\*|`[a-z_.`0-9]+)\\) FILTER");
    }

    @Test
    void rewrite_manyToOneJoinToDeclaredTable_keepsTheManySideDistinct() {
        // visits to residents is many to one: each visit meets one resident, so the visits' units stay as they
        // were (several rows per person), and each resident meets many visits: DISTINCT for both
        String sql = rewritten("SELECT r.district, SUM(v.cost) FROM medical_visits v JOIN residents r ON v.person_id = r.person_id"
                + " GROUP BY r.district");
        assertThat(sql).doesNotContainPattern("COUNT\\(`");
    }

    @Test
    void rewrite_joinToPerPersonAggregate_keepsTheDeclaredSideWithoutDistinct() {
        // residents LEFT JOIN visits per person: each resident meets at most one per-person row, and each
        // per-person row at most one resident
        String sql = rewritten("SELECT r.district, AVG(s.spent) FROM residents r LEFT JOIN (SELECT person_id, SUM(cost) AS spent"
                + " FROM medical_visits GROUP BY person_id) s ON r.person_id = s.person_id GROUP BY r.district");
        assertThat(sql).containsPattern("COUNT\\((\\*|`[a-z_.`0-9]+)\\) FILTER");
    }
}
