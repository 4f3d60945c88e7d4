package org.datasandbox.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.datasandbox.guard.catalog.Scenario;
import org.datasandbox.guard.explain.Decision;
import org.datasandbox.guard.explain.RuleId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The residual families of issue 9, each closed by a rule: conditions are judged per path of rows (never
 * combined across UNION ALL branches or FILTER cells) and what cannot be traced is refused; a count next to a
 * count of other rows backs the rows it leaves out too; the SQL Spark runs means what the guard judged
 * (backslash literals, literal patterns Spark rejects, 32-bit FLOAT, casts on released keys); lineage is exact.
 */
class GuardResidualsTest {
    private final QueryGuard guard = new QueryGuard(new ReferenceCatalog());

    private Decision check(String sql) {
        return guard.check(sql, ReferenceCatalog.everything());
    }

    private RuleId rule(String sql) {
        return check(sql).firstViolation().orElseThrow().rule();
    }

    private String rewritten(String sql) {
        Decision decision = check(sql);
        assertThat(decision.violations()).isEmpty();
        return decision.rewrittenSql().orElseThrow();
    }

    // ---- conditions of different branches or cells never combine into a contradiction that hides a cut ----

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT FLOOR(age / 5) AS b, COUNT(*) FROM (SELECT age FROM arrests UNION ALL SELECT age FROM arrests WHERE 1 = 0) t"
                    + " WHERE age >= 39 GROUP BY FLOOR(age / 5)",
            "SELECT FLOOR(age / 5) AS b, COUNT(*) FROM (SELECT age FROM arrests WHERE age >= 30 UNION ALL"
                    + " SELECT age FROM arrests WHERE age < 30) t WHERE age >= 39 GROUP BY FLOOR(age / 5)",
            "SELECT sex, COUNT(*) FROM (SELECT sex, age FROM arrests UNION ALL SELECT sex, age FROM arrests WHERE 1 = 0) t"
                    + " WHERE age = 37 GROUP BY sex",
            "SELECT sex, COUNT(*) FROM (SELECT sex, age FROM arrests WHERE age >= 30 UNION ALL SELECT sex, age FROM arrests"
                    + " WHERE age < 30) t WHERE age = 37 GROUP BY sex",
            "SELECT FLOOR(age / 5) AS b, COUNT(*) FILTER (WHERE age >= 39), COUNT(*) FILTER (WHERE age < 30) FROM arrests"
                    + " GROUP BY FLOOR(age / 5)"})
    void check_cutHiddenByAContradictionOfAnotherBranchOrCell_isRefused(String sql) {
        assertThat(rule(sql)).isEqualTo(RuleId.IDENTIFIER_FILTER);
    }

    @Test
    void check_alignedFilterAboveAnEmptyBranch_isAllowed() {
        assertThat(check("SELECT FLOOR(age / 5) AS b, COUNT(*) FROM (SELECT age FROM arrests UNION ALL"
                + " SELECT age FROM arrests WHERE 1 = 0) t WHERE age >= 40 GROUP BY FLOOR(age / 5)").violations()).isEmpty();
    }

    @Test
    void check_moreBranchCombinationsThanCanBeJudged_isRefused() {
        String branches = String.join(" UNION ALL ", java.util.Collections.nCopies(17,
                "SELECT person_id, district, income FROM residents WHERE income > 10"));
        String sql = "SELECT a.district, COUNT(*) FROM (" + branches + ") a JOIN (" + branches.replace("residents", "residents r")
                + ") b ON a.person_id = b.person_id WHERE a.income > 5 GROUP BY a.district";
        assertThat(rule(sql)).isEqualTo(RuleId.UNSUPPORTED_CONSTRUCT);
    }

    // ---- lineage is exact: a + b over n branches has n forms ----

    @Test
    void check_sumOfTwoColumnsOverManyBranches_isAllowed() {
        List<String> parts = new ArrayList<>();
        for (int b = 0; b < 70; b++) {
            parts.add("SELECT district, income AS a, income * " + (b + 1) + " AS c FROM residents");
        }
        String sql = "SELECT district, SUM(a + c) FROM (" + String.join(" UNION ALL ", parts) + ") t GROUP BY district";
        assertThat(check(sql).violations()).isEmpty();
    }

    // ---- a count next to a count of other rows: the rows it leaves out need k too ----

    @Test
    void rewrite_countOfColumnNextToCountOfRows_needsKUnitsOnTheNullRows() {
        assertThat(rewritten("SELECT district, COUNT(diagnosis), COUNT(*) FROM residents GROUP BY district"))
                .contains("COUNT(*) FILTER (WHERE (`diagnosis`) IS NULL) `__cell_privacy_units_2`");
        assertThat(rewritten("SELECT district, COUNT(*), SUM(income), AVG(income) FROM residents GROUP BY district"))
                .containsPattern("COUNT\\(\\*\\) FILTER \\(WHERE \\(`income`\\) IS NULL\\) `__cell_privacy_units_[0-9]`");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT district, COUNT(diagnosis) FROM residents GROUP BY district",
            "SELECT district, COUNT(*), AVG(income) FROM residents GROUP BY district",
            "SELECT district, COUNT(income), SUM(income) FROM residents GROUP BY district"})
    void rewrite_countsOfTheSameRows_leaveTheNullRowsAlone(String sql) {
        assertThat(rewritten(sql)).doesNotContain("IS NULL)) >= 10");
    }

    // ---- two aggregates of one table: side by side or as a share, never combined otherwise ----

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT 'north' AS d, gender, COUNT(*) FROM residents WHERE district = 'north' GROUP BY gender"
                    + " UNION ALL SELECT 'south', gender, COUNT(*) FROM residents WHERE district = 'south' GROUP BY gender",
            "SELECT 'low' AS b, district, COUNT(*) FROM residents WHERE income < 50000 GROUP BY district"
                    + " UNION ALL SELECT 'high', district, COUNT(*) FROM residents WHERE income >= 50000 GROUP BY district",
            "SELECT district, COUNT(*) FROM residents WHERE income < 50000 GROUP BY district"
                    + " HAVING COUNT(*) > (SELECT COUNT(*) / 10 FROM residents WHERE income >= 50000)"})
    void check_aggregatesOfDisjointRowsOfOneTable_areAllowed(String sql) {
        assertThat(check(sql).violations()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT 'gender' AS dim, gender AS v, COUNT(*) FROM residents GROUP BY gender"
                    + " UNION ALL SELECT 'district', district, COUNT(*) FROM residents GROUP BY district",
            "SELECT 'north' AS d, gender, COUNT(*) FROM residents WHERE district = 'north' GROUP BY gender"
                    + " UNION ALL SELECT 'all', gender, COUNT(*) FROM residents GROUP BY gender",
            "SELECT district, COUNT(*) AS c FROM residents GROUP BY district UNION ALL SELECT 'ALL', COUNT(*) FROM residents",
            "SELECT a.district, a.n, b.n FROM (SELECT district, COUNT(*) n FROM residents GROUP BY district) a"
                    + " JOIN (SELECT district, SUM(income) n FROM residents WHERE gender = 'F' GROUP BY district) b"
                    + " ON a.district = b.district",
            "SELECT district, COUNT(*) * 1.0 / (SELECT COUNT(*) FROM residents) AS share FROM residents GROUP BY district",
            "SELECT district, ROUND(100.0 * COUNT(*) / (SELECT COUNT(*) FROM residents), 1) AS pct FROM residents"
                    + " GROUP BY district",
            "SELECT a.district, a.n * 1.0 / b.n AS women FROM (SELECT district, COUNT(*) n FROM residents"
                    + " WHERE gender = 'F' GROUP BY district) a JOIN (SELECT district, COUNT(*) n FROM residents"
                    + " GROUP BY district) b ON a.district = b.district"})
    void check_marginalsAndSharesOfOneTable_areAllowed(String sql) {
        assertThat(check(sql).violations()).isEmpty();
    }

    /** Each value a function of one aggregate or of one ratio of two; nothing else combines them. */
    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT (SELECT SUM(income) FROM residents) - (SELECT SUM(s) FROM (SELECT district, gender,"
                    + " SUM(income) s FROM residents GROUP BY district, gender) t) AS suppressed",
            "SELECT district, (SELECT COUNT(*) FROM residents) - COUNT(*) AS rest FROM residents GROUP BY district",
            "SELECT district, COUNT(*) + (SELECT COUNT(*) FROM residents WHERE gender = 'F') AS x FROM residents"
                    + " GROUP BY district",
            "SELECT SUM(c) FROM (SELECT district, COUNT(*) AS c FROM residents GROUP BY district"
                    + " UNION ALL SELECT 'ALL', -COUNT(*) FROM residents) t",
            "SELECT district, SUM(c) OVER () FROM (SELECT district, COUNT(*) AS c FROM residents GROUP BY district"
                    + " UNION ALL SELECT 'ALL', COUNT(*) FROM residents) t",
            "SELECT district, COUNT(*) / (SELECT COUNT(*) FROM residents) * (SELECT COUNT(*) FROM residents) AS back"
                    + " FROM residents GROUP BY district",
            "SELECT district, (COUNT(*) * 1.0 / (SELECT COUNT(*) FROM residents) - 1) * (SELECT COUNT(*) FROM residents)"
                    + " AS rest FROM residents GROUP BY district",
            "SELECT a.district, a.n FROM (SELECT district, COUNT(*) n FROM residents GROUP BY district) a"
                    + " JOIN (SELECT district, COUNT(*) n FROM residents WHERE gender = 'F' GROUP BY district) b ON a.n = b.n",
            "SELECT district, COUNT(*) FROM residents GROUP BY district HAVING COUNT(*) > (SELECT COUNT(*) / 10 FROM residents)",
            "SELECT district, CASE WHEN COUNT(*) > 100 THEN (SELECT COUNT(*) FROM residents) END FROM residents GROUP BY district",
            "SELECT district, COUNT(*) FROM residents WHERE income > (SELECT AVG(income) FROM residents) GROUP BY district",
            "SELECT SUM(share) FROM (SELECT district, COUNT(*) * 1.0 / (SELECT COUNT(*) FROM residents) AS share"
                    + " FROM residents GROUP BY district) t"})
    void check_aggregatesOfOverlappingRowsCombinedInOneValue_areSubtotals(String sql) {
        assertThat(rule(sql)).isEqualTo(RuleId.SUBTOTALS);
    }

    // ---- what Spark runs means what the guard judged ----

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT sex, COUNT(*) FROM arrests WHERE colour = 'a\\\\' GROUP BY sex",
            "SELECT sex, COUNT(*) FILTER (WHERE released LIKE 'Y\\\\%') FROM arrests GROUP BY sex",
            "SELECT sex, COUNT(*) FROM arrests WHERE colour = 'a\\nb' GROUP BY sex"})
    void check_backslashEscapeInALiteral_isRefused(String sql) {
        assertThat(rule(sql)).isEqualTo(RuleId.UNSUPPORTED_CONSTRUCT);
    }

    @Test
    void rewrite_escapedQuote_readsTheSameInSpark() {
        assertThat(rewritten("SELECT sex, COUNT(*) FROM arrests WHERE colour = 'it\\'s' GROUP BY sex")).contains("'it\\'s'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a#", "a#b", "#"})
    void check_likePatternSparkRejects_isRefusedBeforeItRuns(String pattern) {
        assertThat(rule("SELECT sex, COUNT(*) FILTER (WHERE released LIKE '" + pattern + "' ESCAPE '#') FROM arrests GROUP BY sex"))
                .isEqualTo(RuleId.FUNCTION_NOT_ALLOWED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a#%", "a##", "#_b%", "Y%", "a_c"})
    void check_likePatternSparkAccepts_isAllowed(String pattern) {
        assertThat(check("SELECT sex, COUNT(*) FILTER (WHERE released LIKE '" + pattern + "' ESCAPE '#') FROM arrests GROUP BY sex")
                .violations()).isEmpty();
    }

    @Test
    void check_likeEscapeOfTwoCharacters_isRefused() {
        assertThat(rule("SELECT sex, COUNT(*) FILTER (WHERE released LIKE 'a' ESCAPE '##') FROM arrests GROUP BY sex"))
                .isIn(RuleId.FUNCTION_NOT_ALLOWED, RuleId.INVALID_QUERY);
    }

    @Test
    void check_castOfADoubleToSparksFloat_isNarrowing() {
        assertThat(rule("SELECT sex, SUM(CAST(kappa AS FLOAT)) FROM patients GROUP BY sex")).isEqualTo(RuleId.AGGREGATE_ARGUMENT);
        assertThat(check("SELECT sex, SUM(CAST(kappa AS DOUBLE)) FROM patients GROUP BY sex").violations()).isEmpty();
    }

    @Test
    void rewrite_mergeMode_releasesKeysWithoutACast() {
        Scenario all = ReferenceCatalog.everything();
        Scenario merge = new Scenario(all.id(), all.grants(), all.outputMode(), all.minGroupSize(), Scenario.SmallGroups.MERGE);
        String sql = guard.check("SELECT CASE WHEN age < 18 THEN 'a' ELSE 'bb' END AS g, COUNT(*) FROM arrests"
                + " GROUP BY CASE WHEN age < 18 THEN 'a' ELSE 'bb' END", merge).rewrittenSql().orElseThrow();
        assertThat(sql).doesNotContain("CAST(`t`.`g`").doesNotContain("AS CHAR");
    }
}
