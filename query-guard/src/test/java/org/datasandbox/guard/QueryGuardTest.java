package org.datasandbox.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.datasandbox.guard.catalog.ColumnRef;
import org.datasandbox.guard.catalog.OutputMode;
import org.datasandbox.guard.catalog.Scenario;
import org.datasandbox.guard.explain.Decision;
import org.datasandbox.guard.explain.RuleId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QueryGuardTest {
    private final QueryGuard guard = new QueryGuard(new ReferenceCatalog());
    private final Scenario everything = ReferenceCatalog.everything();

    private Decision check(String sql) {
        return guard.check(sql, everything);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT district, COUNT(*) AS n, AVG(income) AS avg_income FROM residents GROUP BY district",
        "SELECT FLOOR(age / 10) AS decade, COUNT(*) FROM arrests GROUP BY FLOOR(age / 10)",
        "SELECT r.district, COUNT(*), SUM(v.cost) FROM residents r JOIN medical_visits v ON r.person_id = v.person_id WHERE v.cost > 100 GROUP BY r.district",
        "SELECT FLOOR(YEAR(birth_date) / 10) * 10 AS decade, COUNT(*) FROM residents GROUP BY FLOOR(YEAR(birth_date) / 10) * 10",
        "SELECT sex, COUNT(*) FROM arrests WHERE colour = \"Black\" AND age BETWEEN 20 AND 30 AND year IN (1999, 2000) GROUP BY sex ORDER BY 2 DESC LIMIT 3",
        "SELECT CASE WHEN age < 18 THEN 'minor' ELSE 'adult' END AS grp, COUNT(DISTINCT id) FROM arrests GROUP BY CASE WHEN age < 18 THEN 'minor' ELSE 'adult' END",
        "SELECT DISTINCT district FROM residents",
        "SELECT COUNT(*) FROM residents",
        "SELECT 1 AS one",
        "SELECT chapter, AVG(CASE WHEN creatinine > 1.2 THEN 1 ELSE 0 END) AS share FROM patients GROUP BY chapter",
        "SELECT sex, COUNT(*) FILTER (WHERE death = 1) AS deaths FROM patients GROUP BY sex",
        "SELECT district, n, RANK() OVER (ORDER BY n DESC) AS r FROM (SELECT district, COUNT(*) AS n FROM residents GROUP BY district) t",
        "SELECT sex, COUNT(*) FROM arrests GROUP BY sex UNION ALL SELECT sex, COUNT(*) FROM patients GROUP BY sex",
        "SELECT YEAR(visit_date) AS y, MONTH(visit_date) AS m, SUM(cost) FROM medical_visits GROUP BY YEAR(visit_date), MONTH(visit_date)",
        "select `district`, count(*) from `RESIDENTS` group by `district`",
        "SELECT diagnosis, COUNT(*) FROM residents WHERE income > 50000 GROUP BY diagnosis",
    })
    void check_analystQuery_isAllowedAndThresholded(String sql) {
        Decision decision = check(sql);
        assertThat(decision.violations()).isEmpty();
        assertThat(decision.outcome()).isEqualTo(Decision.Outcome.ALLOW);
        if (!sql.equals("SELECT 1 AS one")) {
            assertThat(decision.rewrites()).containsExactly(RuleId.MIN_GROUP_SIZE);
            // units counted with DISTINCT, or without on rows proven one per unit (declared tables, see UnitCountTest)
            assertThat(decision.rewrittenSql().orElseThrow()).containsPattern("COUNT\\((DISTINCT `|`|\\*\\)( `__privacy_units`| >= 10))").contains(">= 10");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "SELECT name, phone FROM residents | ROW_LEVEL_OUTPUT",
        "SELECT * FROM arrests | ROW_LEVEL_OUTPUT",
        "SELECT district FROM residents | ROW_LEVEL_OUTPUT",
        "SELECT 'x' AS a UNION ALL SELECT name FROM residents | ROW_LEVEL_OUTPUT",
        "SELECT age, COUNT(*) FROM arrests GROUP BY age | GROUP_BY_NOT_DIMENSION",
        "SELECT name, COUNT(*) FROM residents GROUP BY name | GROUP_BY_NOT_DIMENSION",
        "SELECT YEAR(birth_date), COUNT(*) FROM residents GROUP BY YEAR(birth_date) | GROUP_BY_NOT_DIMENSION",
        "SELECT FLOOR(age / 2), COUNT(*) FROM arrests GROUP BY FLOOR(age / 2) | GROUP_BY_NOT_DIMENSION",
        "SELECT income, COUNT(*) FROM residents GROUP BY income | GROUP_BY_NOT_DIMENSION",
        "SELECT district, MAX(income) FROM residents GROUP BY district | EXTREME_VALUE_AGGREGATE",
        "SELECT district, STDDEV_POP(income) FROM residents GROUP BY district | EXTREME_VALUE_AGGREGATE",
        "SELECT district, LISTAGG(name, ',') FROM residents GROUP BY district | COLLECTION_AGGREGATE",
        "SELECT district, SUM(person_id) FROM residents GROUP BY district | IDENTIFIER_AGGREGATE",
        "SELECT district, COUNT(DISTINCT phone) FROM residents GROUP BY district | IDENTIFIER_AGGREGATE",
        "SELECT COUNT(*) FROM residents WHERE person_id = 5 | IDENTIFIER_FILTER",
        "SELECT COUNT(*) FROM residents WHERE birth_date = DATE '1990-01-01' | IDENTIFIER_FILTER",
        "SELECT COUNT(*) FROM arrests WHERE id <> 4242 | IDENTIFIER_FILTER",
        "SELECT AVG(income) FROM residents WHERE name LIKE '张%' | IDENTIFIER_FILTER",
        "SELECT COUNT(*) FROM arrests WHERE age IN (17, 63) | IDENTIFIER_FILTER",
        "SELECT sex, COUNT(*) FILTER (WHERE id = 7) FROM arrests GROUP BY sex | IDENTIFIER_FILTER",
        "SELECT a.sex, COUNT(*) FROM arrests a JOIN patients p ON a.id = p.id GROUP BY a.sex | JOIN_NOT_ALLOWED",
        "SELECT r.gender, COUNT(*) FROM residents r JOIN medical_visits v ON r.district = v.hospital GROUP BY r.gender | JOIN_NOT_ALLOWED",
        "SELECT r.gender, COUNT(*) FROM residents r, medical_visits v GROUP BY r.gender | JOIN_NOT_ALLOWED",
        "SELECT reflect('java.lang.Runtime', 'getRuntime') | FUNCTION_NOT_ALLOWED",
        "SELECT COUNT(*), input_file_name() FROM arrests | FUNCTION_NOT_ALLOWED",
        "SELECT district, COUNT(*) FROM residents WHERE RAND() < 0.5 GROUP BY district | FUNCTION_NOT_ALLOWED",
        "SELECT sex, COUNT(*) FROM arrests GROUP BY ROLLUP(sex) | GROUPING_SETS",
        "SELECT AVG(income) FROM (SELECT income FROM residents ORDER BY income DESC LIMIT 10) t | ROW_LIMIT",
        "SELECT district, income - AVG(income) OVER (PARTITION BY district) FROM residents | WINDOW_OVER_ROWS",
        "SELECT (SELECT income FROM residents WHERE district = 'x') AS leak | EXTREME_VALUE_AGGREGATE",
        "SELECT district, COUNT(*) FROM citizens GROUP BY district | NOT_FOUND",
        "SELECT nickname, COUNT(*) FROM residents GROUP BY nickname | NOT_FOUND",
        "SELEC district FROM residents | SYNTAX_ERROR",
        "SELECT district, COUNT(*) FROM residents GROUP BY district; DROP TABLE residents | SYNTAX_ERROR",
    })
    void check_unsafeQuery_isRejectedWithItsRule(String sql, RuleId rule) {
        Decision decision = check(sql);
        assertThat(decision.outcome()).as(sql).isEqualTo(Decision.Outcome.REJECT);
        assertThat(decision.firstViolation().orElseThrow().rule()).as(sql).isEqualTo(rule);
        assertThat(decision.rewrittenSql()).isEmpty();
    }

    @Test
    void check_rowLevelOutput_namesColumnPositionAndSuggestion() {
        Decision decision = check("SELECT gender,\n       phone FROM residents");
        var violation = decision.firstViolation().orElseThrow();
        assertThat(violation.rule()).isEqualTo(RuleId.ROW_LEVEL_OUTPUT);
        assertThat(violation.detail()).contains("residents.phone").contains("direct identifier");
        assertThat(violation.position().line()).isEqualTo(2);
        assertThat(violation.position().column()).isEqualTo(8);
        assertThat(violation.suggestion()).hasValueSatisfying(s -> assertThat(s).contains("drop column phone"));
    }

    @Test
    void check_groupByExactAge_suggestsBucket() {
        var violation = check("SELECT age, COUNT(*) FROM arrests GROUP BY age").firstViolation().orElseThrow();
        assertThat(violation.suggestion()).contains("group by FLOOR(age / 10) instead of age");
    }

    @Test
    void check_syntaxError_reportsLineAndColumn() {
        var violation = check("SELECT district,\nCOUNT(* FROM residents").firstViolation().orElseThrow();
        assertThat(violation.rule()).isEqualTo(RuleId.SYNTAX_ERROR);
        assertThat(violation.position().line()).isEqualTo(2);
        assertThat(violation.position().column()).isPositive();
    }

    @Test
    void check_tableNotGranted_looksExactlyLikeMissingTable() {
        Scenario arrestsOnly = new Scenario("arrests-only",
                Map.of("arrests", Set.of("id", "sex", "age")), OutputMode.THRESHOLD, 10);
        var notGranted = guard.check("SELECT COUNT(*) FROM patients", arrestsOnly).firstViolation().orElseThrow();
        var missing = guard.check("SELECT COUNT(*) FROM patientz", arrestsOnly).firstViolation().orElseThrow();
        assertThat(notGranted.rule()).isEqualTo(RuleId.NOT_FOUND).isEqualTo(missing.rule());
        assertThat(notGranted.detail().replace("patients", "X")).isEqualTo(missing.detail().replace("patientz", "X"));
        var column = guard.check("SELECT colour, COUNT(*) FROM arrests GROUP BY colour", arrestsOnly).firstViolation().orElseThrow();
        assertThat(column.rule()).isEqualTo(RuleId.NOT_FOUND);
    }

    @Test
    void check_join_recordsFilterOnlyColumns() {
        Decision decision = check("SELECT r.district, COUNT(*) FROM residents r JOIN medical_visits v "
                + "ON r.person_id = v.person_id WHERE v.cost > 100 GROUP BY r.district");
        assertThat(decision.isAllowed()).isTrue();
        assertThat(decision.outputColumns()).containsExactly(new ColumnRef("residents", "district"));
        assertThat(decision.filterColumns()).contains(new ColumnRef("medical_visits", "cost"),
                new ColumnRef("residents", "person_id"), new ColumnRef("medical_visits", "person_id"));
    }

    @Test
    void check_aggregate_isRewrittenToCountPrivacyUnits() {
        String sql = check("SELECT hospital, COUNT(*) AS n FROM medical_visits GROUP BY hospital").rewrittenSql().orElseThrow();
        assertThat(sql).isEqualToIgnoringWhitespace(
                "SELECT `hospital`, COUNT(*) `n` FROM `medical_visits` GROUP BY `hospital` HAVING COUNT(DISTINCT `person_id`) >= 10"
                        + " ORDER BY `hospital`, 2");
        // a table of one row per person, each with its unit: its people are its rows
        sql = check("SELECT district, COUNT(*) AS n FROM residents GROUP BY district").rewrittenSql().orElseThrow();
        assertThat(sql).isEqualToIgnoringWhitespace("SELECT `district`, `n` FROM (SELECT `district`, COUNT(*) `n`,"
                + " COUNT(*) `__privacy_units` FROM `residents` GROUP BY `district`) `t1` WHERE `__privacy_units` >= 10"
                + " ORDER BY `district`, `n`");
    }

    @Test
    void check_hugeOrEmptyQuery_isRefusedBeforeParsing() {
        assertThat(check("").firstViolation().orElseThrow().rule()).isEqualTo(RuleId.SYNTAX_ERROR);
        String huge = "SELECT COUNT(*) FROM residents WHERE " + "income > 1 AND ".repeat(10_000) + "income > 0";
        assertThat(check(huge).firstViolation().orElseThrow().rule()).isEqualTo(RuleId.QUERY_TOO_LARGE);
    }
}
