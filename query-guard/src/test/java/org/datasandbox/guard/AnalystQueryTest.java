package org.datasandbox.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.datasandbox.guard.catalog.Bounds;
import org.datasandbox.guard.catalog.Bucketing;
import org.datasandbox.guard.catalog.ColumnRole;
import org.datasandbox.guard.catalog.ColumnType;
import org.datasandbox.guard.catalog.GuardCatalog;
import org.datasandbox.guard.catalog.GuardColumn;
import org.datasandbox.guard.catalog.GuardTable;
import org.datasandbox.guard.catalog.JoinKey;
import org.datasandbox.guard.catalog.OutputMode;
import org.datasandbox.guard.catalog.Scenario;
import org.datasandbox.guard.explain.Decision;
import org.datasandbox.guard.explain.RuleId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Queries researchers write that the guard used to refuse or answer wrongly (issue 9, deliverables 7 and 8). */
class AnalystQueryTest {
    private final QueryGuard guard = new QueryGuard(new ReferenceCatalog());

    private Decision check(String sql) {
        return guard.check(sql, ReferenceCatalog.everything());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT CAST(year AS STRING) AS y, COUNT(*) FROM arrests GROUP BY CAST(year AS STRING)",
        "SELECT sex, COUNT(*) FROM arrests WHERE try_divide(checks, 2) > 1 GROUP BY sex",
        "SELECT chapter, AVG(try_divide(kappa, 2)) FROM patients GROUP BY chapter",
        "SELECT CONCAT(sex, '/', colour) AS sc, COUNT(*) FROM arrests GROUP BY CONCAT(sex, '/', colour)",
        "SELECT DATE_FORMAT(visit_date, 'yyyy-MM') AS m, COUNT(*) FROM medical_visits GROUP BY DATE_FORMAT(visit_date, 'yyyy-MM')",
        "SELECT DATE_TRUNC('MONTH', visit_date) AS m, COUNT(*) FROM medical_visits GROUP BY DATE_TRUNC('MONTH', visit_date)",
        "SELECT sex, AVG(checks * 1.0D) FROM arrests GROUP BY sex",
        "SELECT sex, SUM(checks) * 2L AS twice FROM arrests GROUP BY sex",
        "SELECT chapter, AVG(kappa / lambda) FROM patients GROUP BY chapter",
        "SELECT CASE WHEN age < 18 THEN 'child' ELSE 'adult' END AS b, COUNT(*) FROM arrests GROUP BY CASE WHEN age < 18 THEN 'child' ELSE 'adult' END",
        "SELECT colour, COUNT(*) FILTER (WHERE released LIKE 'Y%') FROM arrests GROUP BY colour",
        "SELECT sex, COUNT(*) FROM patients WHERE kappa > (SELECT AVG(cost) / 1000 FROM medical_visits) GROUP BY sex",
        "SELECT district, AVG(income / (SELECT AVG(cost) FROM medical_visits)) FROM residents GROUP BY district",
        // per-person counts, then a histogram of them; people with at least 5 visits
        "SELECT n, COUNT(*) AS people FROM (SELECT person_id, COUNT(*) AS n FROM medical_visits GROUP BY person_id) t GROUP BY n",
        "SELECT COUNT(*) AS people FROM (SELECT person_id FROM medical_visits GROUP BY person_id HAVING COUNT(*) >= 5) t",
        "SELECT AVG(n) FROM (SELECT person_id, COUNT(*) AS n FROM medical_visits GROUP BY person_id) t",
        "SELECT hospital, COUNT(*) FROM (SELECT person_id, hospital, COUNT(*) AS n FROM medical_visits GROUP BY person_id, hospital) t WHERE n >= 3 GROUP BY hospital",
        "SELECT r.district, AVG(v.n) FROM residents r JOIN (SELECT person_id, COUNT(*) AS n FROM medical_visits GROUP BY person_id) v ON r.person_id = v.person_id GROUP BY r.district",
    })
    void check_researcherQuery_isAllowed(String sql) {
        assertThat(check(sql).violations()).isEmpty();
    }

    @Test
    void rewrite_histogramOfPerPersonCounts_thresholdsPeopleNotVisits() {
        String sql = check("SELECT n, COUNT(*) FROM (SELECT person_id, COUNT(*) AS n FROM medical_visits GROUP BY person_id) t GROUP BY n")
                .rewrittenSql().orElseThrow();
        // the inner per-person groups are not thresholded (each is one person); the histogram is, by people
        // and its rows are one per person (grouped by the unit alone): people are counted without DISTINCT
        assertThat(sql).doesNotContain("COUNT(DISTINCT").contains("HAVING COUNT(`__privacy_unit`) >= 10")
                .contains("`person_id` `__privacy_unit`");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT person_id, COUNT(*) FROM medical_visits GROUP BY person_id",
        "SELECT * FROM (SELECT person_id, COUNT(*) AS n FROM medical_visits GROUP BY person_id) t WHERE n >= 5",
        "SELECT SUM(FLOOR(s / 1000)) FROM (SELECT person_id, SUM(cost) AS s FROM medical_visits GROUP BY person_id) t",
        "SELECT SUM(n * n) FROM (SELECT person_id, COUNT(*) AS n FROM medical_visits GROUP BY person_id) t",
        "SELECT MAX(n) FROM (SELECT person_id, COUNT(*) AS n FROM medical_visits GROUP BY person_id) t",
        "SELECT COUNT(*) FROM (SELECT person_id, COUNT(*) AS n FROM medical_visits WHERE person_id = 7 GROUP BY person_id) t",
        "SELECT r.district, COUNT(*) FROM residents r JOIN medical_visits v ON r.person_id = v.person_id GROUP BY r.person_id, r.district",
        // per-person values that hide a cell or padding: a FILTER, a CASE, COUNT(x), an outer join
        "SELECT SUM(r) FROM (SELECT person_id, COUNT(*) FILTER (WHERE icd10 = 'Z99') AS r FROM medical_visits GROUP BY person_id) t",
        "SELECT SUM(r) FROM (SELECT person_id, SUM(CASE WHEN icd10 = 'Z99' THEN cost ELSE 0 END) AS r FROM medical_visits GROUP BY person_id) t",
        "SELECT SUM(r) FROM (SELECT person_id, COUNT(icd10) AS r FROM medical_visits GROUP BY person_id) t",
        "SELECT SUM(n) FROM (SELECT r.person_id, v.person_id AS v, COUNT(v.cost) AS n FROM residents r LEFT JOIN medical_visits v"
                + " ON r.person_id = v.person_id GROUP BY r.person_id, v.person_id) t",
    })
    void check_perPersonValuesUsedAsRowsOrIndicators_isRefused(String sql) {
        assertThat(check(sql).isAllowed()).isFalse();
    }

    @Test
    void check_measureInTheBandsItsPolicyDeclares_isAllowedAndFinerBandsAreNot() {
        GuardCatalog catalog = new GuardCatalog() {
            @Override
            public Optional<GuardTable> table(String name) {
                return name.equalsIgnoreCase("survey") ? Optional.of(new GuardTable("survey", List.of(
                        GuardColumn.of("id", ColumnType.INTEGER, ColumnRole.PRIVACY_UNIT),
                        GuardColumn.of("region", ColumnType.STRING, ColumnRole.DIMENSION),
                        GuardColumn.of("income", ColumnType.DOUBLE, ColumnRole.MEASURE)
                                .withBounds(new Bounds(0, 1_000_000)).withBucketing(Bucketing.numeric(10_000)),
                        GuardColumn.of("cost", ColumnType.DOUBLE, ColumnRole.MEASURE).withBounds(new Bounds(0, 1000))))) : Optional.empty();
            }

            @Override
            public List<JoinKey> joinKeys() {
                return List.of();
            }
        };
        Scenario scenario = new Scenario("survey", Map.of("survey", Set.of("id", "region", "income", "cost")), OutputMode.THRESHOLD, 10);
        QueryGuard surveyGuard = new QueryGuard(catalog);
        assertThat(surveyGuard.check("SELECT FLOOR(income / 10000) AS band, COUNT(*) FROM survey GROUP BY FLOOR(income / 10000)",
                scenario).violations()).isEmpty();
        assertThat(surveyGuard.check("SELECT FLOOR(income / 50000) AS band, AVG(cost) FROM survey GROUP BY FLOOR(income / 50000)",
                scenario).violations()).isEmpty();
        for (String refused : List.of(
                "SELECT FLOOR(income / 1000) AS band, COUNT(*) FROM survey GROUP BY FLOOR(income / 1000)",
                "SELECT income, COUNT(*) FROM survey GROUP BY income",
                "SELECT FLOOR(income / 10000) AS a, FLOOR(income / 15000) AS b, COUNT(*) FROM survey GROUP BY FLOOR(income / 10000), FLOOR(income / 15000)",
                "SELECT FLOOR(cost / 500) AS band, COUNT(*) FROM survey GROUP BY FLOOR(cost / 500)")) {
            assertThat(surveyGuard.check(refused, scenario).firstViolation().orElseThrow().rule()).as(refused)
                    .isEqualTo(RuleId.GROUP_BY_NOT_DIMENSION);
        }
    }

    @Test
    void check_typedLiteralInsideAString_isLeftAlone() {
        String sql = check("SELECT sex, COUNT(*) FILTER (WHERE colour = '1.0D') FROM arrests GROUP BY sex").rewrittenSql().orElseThrow();
        assertThat(sql).contains("'1.0D'");
    }

    @Test
    void rewrite_averageOfDecimalIndicator_keepsSparksType() {
        String sql = check("SELECT chapter, AVG(CASE WHEN creatinine > 1.2 THEN 1.0 ELSE 0.0 END) AS rate FROM patients GROUP BY chapter")
                .rewrittenSql().orElseThrow();
        assertThat(sql).doesNotContain("DECIMAL(2, 1)").doesNotContain("AS DECIMAL");
    }

    @Test
    void check_columnNamedLikeAKeyword_suggestsBackticks() {
        Decision decision = check("SELECT time, COUNT(*) FROM arrests GROUP BY time");
        assertThat(decision.firstViolation().orElseThrow().rule()).isEqualTo(RuleId.SYNTAX_ERROR);
        assertThat(decision.firstViolation().orElseThrow().suggestion()).hasValueSatisfying(s -> assertThat(s).contains("`time`"));
    }

    @Test
    void check_rangeOnDecimalQuasiIdentifier_isARangeNotAnExactValue() {
        GuardCatalog catalog = new GuardCatalog() {
            @Override
            public Optional<GuardTable> table(String name) {
                return name.equalsIgnoreCase("survey") ? Optional.of(new GuardTable("survey", List.of(
                        GuardColumn.of("id", ColumnType.INTEGER, ColumnRole.PRIVACY_UNIT),
                        GuardColumn.of("region", ColumnType.STRING, ColumnRole.DIMENSION),
                        GuardColumn.of("age", ColumnType.DOUBLE, ColumnRole.QUASI_IDENTIFIER)
                                .withBounds(new Bounds(0, 120)).withBucketing(Bucketing.numeric(5))))) : Optional.empty();
            }

            @Override
            public List<JoinKey> joinKeys() {
                return List.of();
            }
        };
        Scenario scenario = new Scenario("survey", Map.of("survey", Set.of("id", "region", "age")), OutputMode.THRESHOLD, 10);
        QueryGuard surveyGuard = new QueryGuard(catalog);

        assertThat(surveyGuard.check("SELECT region, COUNT(*) FROM survey WHERE age >= 60 GROUP BY region", scenario)
                .violations()).isEmpty();
        assertThat(surveyGuard.check("SELECT region, COUNT(*) FROM survey WHERE age >= 60 AND age <= 61 GROUP BY region", scenario)
                .firstViolation().orElseThrow().rule()).isEqualTo(RuleId.IDENTIFIER_FILTER);
    }
}
