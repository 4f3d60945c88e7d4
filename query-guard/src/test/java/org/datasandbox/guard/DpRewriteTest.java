package org.datasandbox.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.datasandbox.guard.catalog.ContributionBounds;
import org.datasandbox.guard.catalog.OutputMode;
import org.datasandbox.guard.catalog.Scenario;
import org.datasandbox.guard.dp.DpAggregate;
import org.datasandbox.guard.dp.DpQuery;
import org.datasandbox.guard.explain.Decision;
import org.datasandbox.guard.explain.RuleId;
import org.datasandbox.guard.explain.Violation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** DP mode in the guard: what the DpQuery says about each aggregate, what is refused and how, fail-closed. */
class DpRewriteTest {
    private final QueryGuard guard = new QueryGuard(new ReferenceCatalog(), new SplittableRandom(1));

    private DpQuery allowed(String sql) {
        Decision decision = guard.check(sql, ReferenceCatalog.dp());
        assertThat(decision.isAllowed()).as(sql + " -> " + decision.firstViolation()).isTrue();
        assertThat(decision.rewrites()).containsExactly(RuleId.DP_NOISE);
        assertThat(decision.rewrittenSql()).contains(decision.dpQuery().orElseThrow().sparkSql());
        return decision.dpQuery().orElseThrow();
    }

    private Violation refused(String sql) {
        Decision decision = guard.check(sql, ReferenceCatalog.dp());
        assertThat(decision.isAllowed()).as(sql).isFalse();
        assertThat(decision.dpQuery()).isEmpty();
        return decision.firstViolation().orElseThrow();
    }

    @Test
    void check_eventTableGroupBy_releasesPartialsPerKindWithScenarioBounds() {
        DpQuery query = allowed("SELECT hospital, COUNT(*) AS n, COUNT(DISTINCT person_id) AS people, SUM(cost) AS cost, "
                + "AVG(cost) AS mean_cost, MIN(cost) AS lowest, MAX(cost) AS highest FROM medical_visits GROUP BY hospital");

        assertThat(query.groupKeys()).containsExactly("hospital");
        assertThat(query.bounds()).isEqualTo(new ContributionBounds(3, 2));
        assertThat(query.aggregates()).extracting(DpAggregate::kind).containsExactly(DpAggregate.Kind.COUNT,
                DpAggregate.Kind.COUNT_DISTINCT_UNITS, DpAggregate.Kind.SUM, DpAggregate.Kind.MEAN,
                DpAggregate.Kind.QUANTILE, DpAggregate.Kind.QUANTILE);
        assertThat(query.aggregates().get(3).partialColumns()).containsExactly("mean_cost__sum", "mean_cost__count");
        assertThat(query.aggregates().get(4).quantile()).isZero();
        assertThat(query.aggregates().get(5).quantile()).isEqualTo(1.0);
        assertThat(query.aggregates().get(2).upper()).isEqualTo(100_000);
        assertThat(query.unitCountColumn()).isEqualTo("__dp_units");
        assertThat(query.sparkSql()).contains("ROW_NUMBER() OVER", "> 2 THEN 2", "<= 3", "XXHASH64(", "TRANSFORM(SEQUENCE(1, LEAST(SIZE(")
                .doesNotContain("DENSE_RANK");
    }

    @Test
    void check_boundedGroupByWithoutQuantiles_carriesUnitRowsWithTheSqlPathsSalt() {
        DpQuery query = allowed("SELECT hospital, COUNT(*) AS n, COUNT(DISTINCT person_id) AS people, SUM(cost) AS cost, "
                + "AVG(cost) AS mean_cost FROM medical_visits GROUP BY hospital");

        org.datasandbox.guard.dp.UnitRows rows = query.unitRows().orElseThrow();
        assertThat(rows.keys()).isEqualTo(1);
        assertThat(rows.kinds()).containsExactly(DpAggregate.Kind.COUNT, DpAggregate.Kind.COUNT_DISTINCT_UNITS,
                DpAggregate.Kind.SUM, DpAggregate.Kind.MEAN);
        assertThat(rows.maxGroupsPerUnit()).isEqualTo(3);
        assertThat(rows.maxRowsPerUnitPerGroup()).isEqualTo(2);
        assertThat(rows.sparkSql()).contains("__dp_key0", "__dp_unit", "__dp_value3").doesNotContain("OVER", "XXHASH64");
        // the streaming pass must keep the groups the SQL path keeps: the same salt in the same keyed hash
        assertThat(query.sparkSql()).contains("XXHASH64(" + rows.salt() + ",");
        assertThat(rows.toString()).doesNotContain(Long.toString(rows.salt()));
    }

    @Test
    void check_quantileOrOneRowPerUnit_hasNoUnitRows() {
        assertThat(allowed("SELECT hospital, MAX(cost) AS highest FROM medical_visits GROUP BY hospital").unitRows())
                .isEmpty();
    }

    @Test
    void explain_eventTableGroupBy_ranksPreAggregatedUnitGroupsNotRows() {
        String plan = guard.explain("SELECT hospital, COUNT(*) AS n, SUM(cost) AS cost FROM medical_visits "
                + "GROUP BY hospital", ReferenceCatalog.dp()).rewrittenPlan();

        List<String> lines = plan.lines().toList();
        List<Integer> windows = java.util.stream.IntStream.range(0, lines.size())
                .filter(i -> lines.get(i).contains(" OVER ")).boxed().toList();
        assertThat(windows).hasSize(1);
        // the window's input is the per-(unit, group) aggregate: one row per unit and group is ranked, not each row
        assertThat(lines.get(windows.get(0) + 1).trim()).startsWith("LogicalAggregate(group=[{0, 1}]");
    }

    @Test
    void explain_globalAggregateOverEventTable_ranksNothing() {
        String plan = guard.explain("SELECT COUNT(*) AS n, SUM(cost) AS cost FROM medical_visits",
                ReferenceCatalog.dp()).rewrittenPlan();

        assertThat(plan).doesNotContain(" OVER ").contains("LogicalAggregate(group=[{0}]");
    }

    @Test
    void check_percentileWithinGroup_releasesQuantileAtItsRank() {
        DpQuery query = allowed("SELECT hospital, PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY cost) AS median_cost, "
                + "PERCENTILE_DISC(0.9) WITHIN GROUP (ORDER BY cost) AS p90 FROM medical_visits GROUP BY hospital");

        assertThat(query.aggregates()).extracting(DpAggregate::kind).containsOnly(DpAggregate.Kind.QUANTILE);
        assertThat(query.aggregates()).extracting(DpAggregate::quantile).containsExactly(0.5, 0.9);
        assertThat(query.aggregates().get(0).upper()).isEqualTo(100_000);
    }

    @Test
    void check_sameAggregateTwice_releasesItTwice() {
        DpQuery query = allowed("SELECT hospital, COUNT(*) AS a, SUM(cost) AS b, COUNT(*) AS c FROM medical_visits "
                + "GROUP BY hospital");

        assertThat(query.aggregates()).extracting(DpAggregate::outputName).containsExactly("a", "b", "c");
        assertThat(query.sparkSql()).contains("`a`", "`c`");
    }

    @Test
    void check_linearCombination_boundsByIntervalArithmetic() {
        DpQuery query = allowed("SELECT district, SUM(income / 1000 + 1) AS a, SUM(10 - 2 * income) AS b "
                + "FROM residents GROUP BY district");

        assertThat(query.aggregates().get(0).lower()).isEqualTo(1);
        assertThat(query.aggregates().get(0).upper()).isEqualTo(1001);
        assertThat(query.aggregates().get(1).lower()).isEqualTo(10 - 2_000_000);
        assertThat(query.aggregates().get(1).upper()).isEqualTo(10);
    }

    @Test
    void check_personTableWithoutJoin_clampsOnlyAndEnforcesOneRowOneGroup() {
        DpQuery query = allowed("SELECT district, AVG(income) AS avg_income FROM residents GROUP BY district");

        assertThat(query.bounds()).isEqualTo(new ContributionBounds(1, 1));
        assertThat(query.sparkSql()).doesNotContain("ROW_NUMBER").contains("1.0000000E6");
    }

    @Test
    void check_personJoinedToVisits_boundsContributions() {
        DpQuery query = allowed("SELECT r.district, SUM(v.cost) AS cost FROM residents r JOIN medical_visits v "
                + "ON r.person_id = v.person_id GROUP BY r.district");

        assertThat(query.bounds()).isEqualTo(new ContributionBounds(3, 2));
        assertThat(query.sparkSql()).contains("ROW_NUMBER");
    }

    @Test
    void check_keyWithPublicDomain_fillsPublicDomains() {
        DpQuery query = allowed("SELECT gender, district, COUNT(*) AS n FROM residents GROUP BY gender, district");

        assertThat(query.publicDomains()).isEqualTo(Map.of("gender", List.of("男", "女")));
        assertThat(query.groupsArePublic()).isFalse();
        assertThat(allowed("SELECT gender AS g, COUNT(*) AS n FROM residents GROUP BY gender").groupsArePublic()).isTrue();
    }

    @Test
    void check_sameQueryTwice_drawsFreshSecretSalts() {
        String sql = "SELECT hospital, COUNT(*) AS n FROM medical_visits GROUP BY hospital";

        assertThat(allowed(sql).sparkSql()).isNotEqualTo(allowed(sql).sparkSql());
    }

    @Test
    void check_sameQuestionTwice_hasOneNormalizedQueryWithoutSalts() {
        DpQuery first = allowed("SELECT hospital, COUNT(*) AS n FROM medical_visits GROUP BY hospital");
        DpQuery second = allowed("select hospital,\n  count(*) as n\nfrom medical_visits group by hospital");

        assertThat(second.sparkSql()).isNotEqualTo(first.sparkSql());
        assertThat(second.normalizedQuery()).isEqualTo(first.normalizedQuery());
        assertThat(first.normalizedQuery()).doesNotContain("XXHASH64");
        assertThat(allowed("SELECT hospital, COUNT(*) AS m FROM medical_visits GROUP BY hospital").normalizedQuery())
                .isNotEqualTo(first.normalizedQuery());
    }

    @Test
    void check_seededSaltSource_isReproducible() {
        String sql = "SELECT hospital, COUNT(*) AS n FROM medical_visits GROUP BY hospital";
        QueryGuard a = new QueryGuard(new ReferenceCatalog(), new SplittableRandom(5));
        QueryGuard b = new QueryGuard(new ReferenceCatalog(), new SplittableRandom(5));

        assertThat(a.check(sql, ReferenceCatalog.dp()).rewrittenSql()).isEqualTo(b.check(sql, ReferenceCatalog.dp()).rewrittenSql());
    }

    @Test
    void check_thresholdOnlyRefusals_doNotApplyInDpMode() {
        // a percentile-like extreme of a bounded measure and a group a threshold would suppress are fine with noise
        allowed("SELECT MAX(futime) AS longest FROM patients");
        allowed("SELECT sex, mgus, COUNT(*) AS n FROM patients GROUP BY sex, mgus");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT district, COUNT(*) AS n FROM residents GROUP BY district HAVING COUNT(*) > 5",
            "SELECT district, COUNT(*) AS n FROM residents GROUP BY district ORDER BY n DESC",
            "SELECT district, COUNT(*) AS n FROM residents GROUP BY district LIMIT 3",
            "SELECT district, COUNT(*) * 2 AS n2 FROM residents GROUP BY district",
            "SELECT district, n, RANK() OVER (ORDER BY n DESC) AS r FROM (SELECT district, COUNT(*) AS n FROM residents GROUP BY district) t",
            "SELECT AVG(n) AS avg_n FROM (SELECT year, COUNT(*) AS n FROM arrests GROUP BY year) t",
            "SELECT hospital, COUNT(DISTINCT icd10) AS codes FROM medical_visits GROUP BY hospital",
            "SELECT MAX(year) AS last_year FROM arrests",
            "SELECT SUM(kappa * lambda) AS product FROM patients",
            "SELECT SUM(ABS(kappa)) AS magnitude FROM patients",
            "SELECT SUM(kappa / lambda) AS ratio FROM patients",
            "SELECT district, COUNT(*) AS n FROM residents WHERE income > (SELECT AVG(income) FROM residents) GROUP BY district",
            "SELECT gender, COUNT(*) AS n FROM (SELECT gender FROM residents UNION ALL SELECT sex FROM patients) t GROUP BY gender",
            "SELECT COUNT(*) AS n FROM residents GROUP BY district",
            "SELECT COUNT(*) AS __dp_units FROM residents",
            "SELECT COUNT(*) AS n FROM (SELECT * FROM medical_visits ORDER BY cost DESC LIMIT 10) t"})
    void check_constructWithoutDpRelease_isRefusedWithSuggestion(String sql) {
        Violation violation = refused(sql);

        assertThat(violation.rule()).as(violation.message()).isIn(RuleId.DP_UNSUPPORTED, RuleId.ROW_LIMIT,
                RuleId.WINDOW_OVER_ROWS, RuleId.INVALID_QUERY);
        if (violation.rule() == RuleId.DP_UNSUPPORTED) {
            assertThat(violation.suggestion()).as(violation.message()).isPresent();
        }
    }

    @Test
    void check_nonLinearArgument_namesTheProblemNotData() {
        Violation violation = refused("SELECT SUM(kappa * lambda) AS product FROM patients");

        assertThat(violation.rule()).isEqualTo(RuleId.DP_UNSUPPORTED);
        assertThat(violation.message()).contains("product").contains("multiplies two values");
        assertThat(violation.suggestion().orElseThrow()).contains("clamping bounds");
    }

    @Test
    void check_measureWithoutBounds_isNotAggregatable() {
        Violation violation = refused("SELECT SUM(year) AS years FROM arrests");

        assertThat(violation.rule()).isEqualTo(RuleId.DP_UNSUPPORTED);
        assertThat(violation.message()).contains("year").contains("no clamping bounds");
    }

    @Test
    void check_privacyUnitNotGranted_isRefused() {
        Scenario withoutUnit = new Scenario("no-unit", Map.of("medical_visits", Set.of("hospital", "cost")), OutputMode.DP,
                10, Scenario.SmallGroups.SUPPRESS, ContributionBounds.DEFAULT);

        Decision decision = guard.check("SELECT hospital, SUM(cost) AS cost FROM medical_visits GROUP BY hospital", withoutUnit);

        assertThat(decision.firstViolation().orElseThrow().rule()).isEqualTo(RuleId.DP_UNSUPPORTED);
        assertThat(decision.firstViolation().orElseThrow().message()).contains("privacy unit");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT income FROM residents",
            "SELECT name, COUNT(*) AS n FROM residents GROUP BY name",
            "SELECT COUNT(*) AS n FROM residents WHERE name LIKE diagnosis",
            "SELECT COUNT(*) AS n FROM residents r JOIN patients p ON r.gender = p.sex",
            "SELECT nosuchfunction(income) AS x FROM residents",
            "SELECT COUNT(* FROM residents",
            "SELECT COUNT(*) AS n FROM medical_visits w RIGHT JOIN (residents r LEFT SEMI JOIN medical_visits v ON r.person_id = v.person_id) ON w.person_id = r.person_id"})
    void check_dataIndependentFailureChecks_stillApplyInDpMode(String sql) {
        Decision decision = guard.check(sql, ReferenceCatalog.dp());

        assertThat(decision.isAllowed()).as(sql).isFalse();
        assertThat(decision.firstViolation().orElseThrow().message()).doesNotContain("高血压");
    }

    @Test
    void explain_dpMode_givesPlansAndSql() {
        QueryGuard.Plans plans = guard.explain("SELECT hospital, COUNT(*) AS n FROM medical_visits GROUP BY hospital",
                ReferenceCatalog.dp());

        assertThat(plans.rewrittenPlan()).contains("ROW_NUMBER");
        assertThat(plans.sparkSql()).contains("`__dp_units`");
    }
}
