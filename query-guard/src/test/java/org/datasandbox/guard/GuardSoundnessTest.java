package org.datasandbox.guard;

import static org.assertj.core.api.Assertions.assertThat;

import org.datasandbox.guard.explain.Decision;
import org.datasandbox.guard.explain.RuleId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The families of issue 9, from the rule "every released value has k units behind it, that actually
 * contribute to it". Released values are checked on Spark against an independent database in
 * sandbox-core's GuardCorpusExecutionTest; here, what the guard decides and how it rewrites.
 */
class GuardSoundnessTest {
    private final QueryGuard guard = new QueryGuard(new ReferenceCatalog());

    private Decision check(String sql) {
        return guard.check(sql, ReferenceCatalog.everything());
    }

    private String rewritten(String sql) {
        Decision decision = check(sql);
        assertThat(decision.violations()).isEmpty();
        return decision.rewrittenSql().orElseThrow();
    }

    // ---- padding: only rows a value comes from count as its people ----

    @Test
    void rewrite_literalUnionBranch_countsOnlyTheDataBranchForTheValue() {
        String sql = rewritten("SELECT district, SUM(x) FROM (SELECT district, income AS x FROM residents WHERE income > 900000"
                + " UNION ALL SELECT district, 0 FROM residents) t GROUP BY district");
        // two slots, one per branch; the value is backed by the first branch's units only
        assertThat(sql).contains("CAST(NULL AS BIGINT) `__privacy_unit_1`")
                .contains("CAST(NULL AS BIGINT) `__privacy_unit_0`")
                .containsPattern("COUNT\\(`__privacy_unit_0`\\) FILTER \\(WHERE .*income.* IS NOT NULL\\)\\) >= 10 THEN SUM");
    }

    @Test
    void rewrite_unionBranchOfZerosFromData_backsNoOtherBranch() {
        // 0 * income is non-NULL and read from data on every row of the second branch: it must not lend
        // those people to the one person the first branch selects
        String sql = rewritten("SELECT district, SUM(v) FROM (SELECT district, income AS v FROM residents WHERE income > 900000"
                + " UNION ALL SELECT district, 0 * income AS v FROM residents) t GROUP BY district");
        assertThat(sql).contains("COUNT(`__privacy_unit_0`) FILTER (WHERE (`income`) IS NOT NULL)) >= 10")
                .contains("COUNT(`__privacy_unit_1`) FILTER (WHERE (`income`) IS NOT NULL)) >= 10");
    }

    @Test
    void rewrite_countOfRowsOverAUnion_needsKUnitsInEveryBranch() {
        String sql = rewritten("SELECT district, COUNT(*) FROM (SELECT district FROM residents UNION ALL"
                + " SELECT district FROM residents WHERE income > 900000) t GROUP BY district");
        // (residents has one row per person: each branch's own units are counted without DISTINCT)
        assertThat(sql).contains("COUNT(`__privacy_unit_0`)").contains("COUNT(`__privacy_unit_1`)");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT r.district, SUM(r.income) FROM residents r JOIN (SELECT 4711 AS one) x ON r.person_id = x.one GROUP BY r.district",
            "SELECT r.district, SUM(r.income) FROM residents r JOIN (SELECT 1 AS one) x ON r.person_id = 4711 GROUP BY r.district",
            "SELECT r.district, SUM(v.cost) FROM residents r JOIN medical_visits v ON r.person_id = v.person_id AND r.phone = '13800000000' GROUP BY r.district",
            "SELECT r.district, SUM(v.cost) FROM residents r JOIN medical_visits v ON r.person_id = v.person_id AND r.person_id = 4711 GROUP BY r.district"})
    void check_joinConditionThatFiltersOnAnIdentifier_isRefused(String sql) {
        assertThat(check(sql).firstViolation().orElseThrow().rule()).isEqualTo(RuleId.IDENTIFIER_FILTER);
    }

    @Test
    void rewrite_outerJoinPaddedSide_backsItsValuesByThePaddedSideUnits() {
        String sql = rewritten("SELECT r.district, SUM(v.cost) FROM residents r LEFT JOIN medical_visits v"
                + " ON r.person_id = v.person_id GROUP BY r.district");
        assertThat(sql).containsPattern("COUNT\\(DISTINCT `t0`.`__privacy_unit`\\) FILTER \\(WHERE \\(`t0`.`cost`\\) IS NOT NULL\\)\\) >= 10 THEN SUM");
    }

    @Test
    void rewrite_valueFromBothSidesOfAJoin_needsKUnitsOnEachSide() {
        String sql = rewritten("SELECT r.district, AVG(r.income + v.cost) FROM residents r JOIN medical_visits v"
                + " ON r.person_id = v.person_id GROUP BY r.district");
        assertThat(sql).contains("COUNT(DISTINCT `t`.`__privacy_unit`) FILTER (WHERE")
                .contains("COUNT(DISTINCT `t0`.`__privacy_unit`) FILTER (WHERE");
    }

    @Test
    void rewrite_valuesRows_carryNoUnit() {
        String sql = rewritten("SELECT g, COUNT(*) FROM (SELECT district AS g FROM residents UNION ALL SELECT 'x') t GROUP BY g");
        assertThat(sql).contains("CAST(NULL AS BIGINT)");
    }

    @Test
    void rewrite_nonNullableArgumentOverOneTable_addsNoCountBeyondTheGroup() {
        String sql = rewritten("SELECT sex, COUNT(*) FROM arrests GROUP BY sex");
        assertThat(sql).containsOnlyOnce("COUNT(DISTINCT");
    }

    // ---- hidden conditions: the argument grammar, traced through the lineage ----

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT r.district, SUM(t.x) FROM residents r JOIN (SELECT person_id, CASE WHEN cost > 90000 THEN cost ELSE 0 END AS x FROM medical_visits) t ON r.person_id = t.person_id GROUP BY r.district",
        "SELECT colour, SUM((age - 30) * (age - 31)) FROM arrests GROUP BY colour",
        "SELECT colour, SUM(p) FROM (SELECT colour, (checks - 1) * (checks - 2) AS p FROM arrests) t GROUP BY colour",
        "SELECT district, SUM(ROUND(income / 2000000)) FROM residents GROUP BY district",
        "SELECT district, COUNT(CAST(income AS TINYINT)) FROM residents GROUP BY district",
        "SELECT district, COUNT(x) FROM (SELECT district, CAST(income AS INTEGER) AS x FROM residents) t GROUP BY district",
        "SELECT colour, COUNT(1 / (checks - 3)) FROM arrests GROUP BY colour",
        "SELECT colour, SUM(checks / checks) FROM arrests GROUP BY colour",
        "SELECT sex, SUM(kappa * lambda) FROM patients GROUP BY sex",
        "SELECT sex, SUM(SIGN(kappa - 20)) FROM patients GROUP BY sex",
        "SELECT colour, SUM(MOD(checks, 7)) FROM arrests GROUP BY colour",
        "SELECT sex, AVG(CHAR_LENGTH(chapter)) FROM patients GROUP BY sex",
    })
    void check_nonLinearOrHiddenArgument_isRefused(String sql) {
        assertThat(check(sql).firstViolation().orElseThrow().rule()).isEqualTo(RuleId.AGGREGATE_ARGUMENT);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT chapter, AVG(kappa / lambda) FROM patients GROUP BY chapter",
        "SELECT sex, AVG(2 * kappa + lambda / 2 - 1) FROM patients GROUP BY sex",
        "SELECT sex, SUM(CAST(checks AS BIGINT)) FROM arrests GROUP BY sex",
        "SELECT sex, AVG(CAST(checks AS DOUBLE)) FROM arrests GROUP BY sex",
        "SELECT sex, SUM(k2) FROM (SELECT sex, kappa * 2 AS k2 FROM patients) t GROUP BY sex",
        "SELECT chapter, AVG(CASE WHEN creatinine > 1.2 THEN 1.0 ELSE 0.0 END) FROM patients GROUP BY chapter",
    })
    void check_linearArgument_isAllowed(String sql) {
        assertThat(check(sql).violations()).isEmpty();
    }

    // ---- extremes ----

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT sex, MAX(kappa) FROM patients GROUP BY sex",
        "SELECT MIN(a) FROM (SELECT age AS a FROM arrests) t",
        "SELECT district, COUNT(DISTINCT diagnosis) FROM residents GROUP BY district",
        "SELECT sex, COUNT(DISTINCT kappa) FROM patients GROUP BY sex",
    })
    void check_extremeOfAnyColumn_isRefused(String sql) {
        assertThat(check(sql).firstViolation().orElseThrow().rule()).isEqualTo(RuleId.EXTREME_VALUE_AGGREGATE);
    }

    @Test
    void rewrite_maxOfDimension_seesOnlyValuesThatKUnitsShare() {
        String sql = rewritten("SELECT colour, MAX(checks) FROM arrests GROUP BY colour");
        assertThat(sql).contains("COUNT(DISTINCT").contains("INNER JOIN")
                .containsPattern("CASE WHEN `\\w+`.`__value_units` >= 10 THEN");
    }

    @Test
    void check_countDistinctPrivacyUnitThroughJoin_isAllowed() {
        assertThat(check("SELECT r.district, COUNT(DISTINCT v.person_id) FROM residents r JOIN medical_visits v"
                + " ON r.person_id = v.person_id GROUP BY r.district").violations()).isEmpty();
    }

    // ---- errors and time ----

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT district, COUNT(*) FROM residents WHERE district LIKE diagnosis GROUP BY district",
        "SELECT district, COUNT(*) FROM residents WHERE district LIKE CONCAT(diagnosis, '%') GROUP BY district",
        "SELECT district, COUNT(*) FROM residents WHERE CHAR_LENGTH(REPLACE(REPLACE(diagnosis, 'a', 'aaaa'), 'a', 'aaaa')) > 3 GROUP BY district",
        "SELECT district, COUNT(*) FROM residents WHERE REPLACE(diagnosis, district, 'x') = 'x' GROUP BY district",
    })
    void check_functionThatCanFailOrGrowOnAValue_isRefused(String sql) {
        assertThat(check(sql).firstViolation().orElseThrow().rule()).isEqualTo(RuleId.FUNCTION_NOT_ALLOWED);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT district, COUNT(*) FROM residents WHERE diagnosis LIKE '%糖尿病' GROUP BY district",
        "SELECT district, COUNT(*) FROM residents WHERE REPLACE(diagnosis, '型', '') = '2糖尿病' GROUP BY district",
    })
    void check_literalOnlyForm_isAllowed(String sql) {
        assertThat(check(sql).violations()).isEmpty();
    }

    @Test
    void rewrite_likeCellCondition_isParenthesizedForSpark() {
        String sql = rewritten("SELECT colour, COUNT(*) FILTER (WHERE released LIKE 'Y%') FROM arrests GROUP BY colour");
        assertThat(sql).contains("(`released` LIKE 'Y%') IS TRUE").doesNotContain("LIKE 'Y%' IS TRUE");
    }

    // ---- buckets: filters and group keys together ----

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "SELECT FLOOR(age / 5) AS b, COUNT(*) FROM arrests WHERE age >= 39 GROUP BY FLOOR(age / 5) | IDENTIFIER_FILTER",
        "SELECT FLOOR(age / 5) AS b, COUNT(*) FROM arrests WHERE age > 38 GROUP BY FLOOR(age / 5) | IDENTIFIER_FILTER",
        "SELECT FLOOR(age / 10) AS b, COUNT(*) FROM arrests WHERE age < 32 GROUP BY FLOOR(age / 10) | IDENTIFIER_FILTER",
        "SELECT b, COUNT(*) FROM (SELECT FLOOR(age / 5) AS b, age FROM arrests) t WHERE age >= 39 GROUP BY b | IDENTIFIER_FILTER",
        "SELECT b, COUNT(*) FROM (SELECT FLOOR(age / 5) AS b FROM arrests WHERE age <= 40) t GROUP BY b | IDENTIFIER_FILTER",
        "SELECT b, COUNT(*) FROM (SELECT CASE WHEN age < 40 THEN 'a' ELSE 'b' END AS b, age FROM arrests) t WHERE age >= 39 GROUP BY b | IDENTIFIER_FILTER",
        "SELECT CEIL(age / 5) AS b, COUNT(*) FROM arrests WHERE age >= 40 GROUP BY CEIL(age / 5) | IDENTIFIER_FILTER",
        "SELECT FLOOR(age / 5) AS a, CEIL(age / 5) AS b, COUNT(*) FROM arrests GROUP BY FLOOR(age / 5), CEIL(age / 5) | GROUP_BY_NOT_DIMENSION",
        "SELECT sex, COUNT(*) FROM arrests WHERE age > 36 AND age < 39 GROUP BY sex | IDENTIFIER_FILTER",
        "SELECT FLOOR(age / 5) AS b, COUNT(*) FROM (SELECT age FROM arrests UNION ALL SELECT age FROM arrests WHERE colour = 'x') t WHERE age >= 39 GROUP BY FLOOR(age / 5) | IDENTIFIER_FILTER",
        "SELECT b, COUNT(*) FROM (SELECT FLOOR(age / 5) AS b FROM arrests WHERE age >= 39 UNION ALL SELECT FLOOR(age / 5) AS b FROM arrests WHERE age >= 39) t GROUP BY b | IDENTIFIER_FILTER",
        "SELECT FLOOR(a.age / 5) AS b, COUNT(*) FROM arrests a JOIN arrests c ON a.id = c.id AND a.age >= 39 GROUP BY FLOOR(a.age / 5) | IDENTIFIER_FILTER",
    })
    void check_filterThatCutsABucket_isRefused(String sql, RuleId rule) {
        assertThat(check(sql).firstViolation().orElseThrow().rule()).isEqualTo(rule);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT FLOOR(age / 5) AS b, COUNT(*) FROM arrests WHERE age >= 40 GROUP BY FLOOR(age / 5)",
        "SELECT FLOOR(age / 10) AS b, COUNT(*) FROM arrests WHERE age >= 20 AND age < 60 GROUP BY FLOOR(age / 10)",
        "SELECT CEIL(age / 5) AS b, COUNT(*) FROM arrests WHERE age >= 41 GROUP BY CEIL(age / 5)",
        "SELECT CASE WHEN age < 18 THEN 'child' ELSE 'adult' END AS b, COUNT(*) FROM arrests WHERE age >= 60 GROUP BY CASE WHEN age < 18 THEN 'child' ELSE 'adult' END",
        "SELECT sex, COUNT(*) FROM arrests WHERE age >= 39 GROUP BY sex",
    })
    void check_filterOnBucketBoundaries_isAllowed(String sql) {
        assertThat(check(sql).violations()).isEmpty();
    }
}
