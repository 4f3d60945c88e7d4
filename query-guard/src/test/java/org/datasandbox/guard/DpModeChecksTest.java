package org.datasandbox.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.datasandbox.guard.explain.Decision;
import org.datasandbox.guard.explain.RuleId;
import org.datasandbox.guard.explain.Violation;
import org.junit.jupiter.api.Test;

/**
 * The rules DP mode shares with threshold mode because the noise is calibrated to the query the guard judged
 * (red team, round 22): Spark must run what the guard judged (backslash literals, MOD of a double), every
 * row-selecting condition must be traceable for the identifier rule, and a released key (never noised) must not
 * be computed from an aggregate's value. Each query here was allowed in DP mode, or refused only by the rewrite's
 * grammar, before the check joined {@code Checks.DP}.
 */
class DpModeChecksTest {
    private final QueryGuard guard = new QueryGuard(new ReferenceCatalog(), new SplittableRandom(1));

    private Violation refusedInDp(String sql) {
        Decision decision = guard.check(sql, ReferenceCatalog.dp());
        assertThat(decision.isAllowed()).as(sql).isFalse();
        assertThat(decision.dpQuery()).isEmpty();
        return decision.firstViolation().orElseThrow();
    }

    @Test
    void checkDp_backslashLiteralInFilterOrKey_isRefusedAsInThresholdMode() {
        for (String sql : List.of(
                "SELECT district, COUNT(*) AS n FROM residents WHERE district = 'a\\\\b' GROUP BY district",
                "SELECT CASE WHEN district = 'x\\n' THEN 'y' ELSE 'z' END AS k, COUNT(*) AS n FROM residents"
                        + " GROUP BY CASE WHEN district = 'x\\n' THEN 'y' ELSE 'z' END")) {
            Violation violation = refusedInDp(sql);

            assertThat(violation.rule()).as(sql).isEqualTo(RuleId.UNSUPPORTED_CONSTRUCT);
            assertThat(violation.detail()).as(sql).contains("backslash");
        }
    }

    @Test
    void check_stringInListFoldedToASearchArgument_isJudgedValueByValueInBothModes() {
        // an IN list of strings reaches the check as one SARG literal: its values are judged, it does not fail inside
        String plain = "SELECT hospital, COUNT(*) AS n FROM medical_visits WHERE icd10 IN ('A01', 'B02', 'C03') GROUP BY hospital";
        String escaped = "SELECT hospital, COUNT(*) AS n FROM medical_visits WHERE icd10 IN ('A01', 'B\\\\02', 'C03') GROUP BY hospital";

        for (org.datasandbox.guard.catalog.Scenario scenario : List.of(ReferenceCatalog.dp(), ReferenceCatalog.everything())) {
            assertThat(guard.check(plain, scenario).isAllowed()).as(scenario.id()).isTrue();
            Violation violation = guard.check(escaped, scenario).firstViolation().orElseThrow();
            assertThat(violation.detail()).as(scenario.id()).contains("backslash");
        }
    }

    @Test
    void checkDp_modOfADoubleInAFilter_isRefusedWithTheCastSuggestion() {
        Violation violation = refusedInDp("SELECT hospital, COUNT(*) AS n FROM medical_visits WHERE cost % 8 > 2 GROUP BY hospital");

        assertThat(violation.rule()).isEqualTo(RuleId.FUNCTION_NOT_ALLOWED);
        assertThat(violation.detail()).contains("mod of a floating-point value");
        assertThat(violation.suggestion().orElseThrow()).contains("CAST(x AS BIGINT)");
        assertThat(guard.check("SELECT hospital, COUNT(*) AS n FROM medical_visits WHERE CAST(cost AS BIGINT) % 8 > 2"
                + " GROUP BY hospital", ReferenceCatalog.dp()).isAllowed()).isTrue();
    }

    @Test
    void checkDp_conditionTooBranchedToJudge_isRefusedAsUnsupported() {
        List<String> parts = new ArrayList<>();
        for (int b = 0; b < 33; b++) { // 33 x 33 forms: more than the lineage traces
            parts.add("SELECT hospital, person_id, cost FROM medical_visits WHERE icd10 = 'c" + b + "'");
        }
        String branches = String.join(" UNION ALL ", parts);
        String sql = "SELECT a.hospital, COUNT(*) AS n FROM (" + branches + ") a JOIN (" + branches
                + ") b ON a.person_id = b.person_id WHERE a.cost > b.cost GROUP BY a.hospital";

        Violation violation = refusedInDp(sql);

        // the per-path judgement gives up first ("too many combinations"); past it, TraceableConditionCheck
        // refuses what the lineage cannot trace: either way not the DP rewrite's grammar
        assertThat(violation.rule()).isEqualTo(RuleId.UNSUPPORTED_CONSTRUCT);
        assertThat(violation.detail()).containsAnyOf("cannot trace", "too many combinations");
    }

    @Test
    void checkDp_groupKeyOrDistinctFromAnAggregatesValue_isRefusedAsNotADimension() {
        for (String sql : List.of(
                "SELECT n, COUNT(*) AS c FROM (SELECT hospital, COUNT(*) AS n FROM medical_visits GROUP BY hospital) t GROUP BY n",
                "SELECT DISTINCT n FROM (SELECT hospital, COUNT(*) AS n FROM medical_visits GROUP BY hospital) t",
                "SELECT r, COUNT(*) AS c FROM (SELECT hospital, RANK() OVER (ORDER BY COUNT(*)) AS r FROM medical_visits"
                        + " GROUP BY hospital) t GROUP BY r")) {
            Violation violation = refusedInDp(sql);

            assertThat(violation.rule()).as(sql).isEqualTo(RuleId.GROUP_BY_NOT_DIMENSION);
            assertThat(violation.detail()).as(sql).contains("computed from an aggregate");
        }
    }

    @Test
    void checkDp_plainGroupByOfDimensions_isStillAllowed() {
        assertThat(guard.check("SELECT hospital, COUNT(*) AS n, SUM(cost) AS s FROM medical_visits GROUP BY hospital",
                ReferenceCatalog.dp()).isAllowed()).isTrue();
        assertThat(guard.check("SELECT district, COUNT(*) AS n FROM residents WHERE district = 'it\\'s' GROUP BY district",
                ReferenceCatalog.dp()).isAllowed()).isTrue();
    }
}
