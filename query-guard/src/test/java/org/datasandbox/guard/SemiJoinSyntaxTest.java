package org.datasandbox.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.datasandbox.guard.catalog.Scenario;
import org.datasandbox.guard.explain.Decision;
import org.datasandbox.guard.explain.RuleId;
import org.datasandbox.guard.explain.Violation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Spark's {@code LEFT SEMI JOIN} and {@code LEFT ANTI JOIN}, which Calcite's converter cannot convert, are judged as
 * the {@code [NOT] EXISTS} they mean: the same decision and, when allowed, the same Spark SQL as the EXISTS written by
 * hand, in both modes (the DP decision's secret seeds are fixed so that the two plans can be compared); where the
 * two would not mean the same, a clear refusal, never the guard failing inside.
 */
class SemiJoinSyntaxTest {

    static Stream<Arguments> sameAsExists() {
        return Stream.of(
                Arguments.of("SELECT r.district, COUNT(*) AS n FROM residents r LEFT SEMI JOIN medical_visits v"
                                + " ON r.person_id = v.person_id AND v.hospital = 'a' GROUP BY r.district",
                        "SELECT r.district, COUNT(*) AS n FROM residents r WHERE EXISTS (SELECT 1 FROM medical_visits v"
                                + " WHERE r.person_id = v.person_id AND v.hospital = 'a') GROUP BY r.district"),
                Arguments.of("SELECT r.district, COUNT(*) AS n FROM residents r LEFT ANTI JOIN medical_visits v"
                                + " ON r.person_id = v.person_id GROUP BY r.district",
                        "SELECT r.district, COUNT(*) AS n FROM residents r WHERE NOT EXISTS (SELECT 1 FROM medical_visits v"
                                + " WHERE r.person_id = v.person_id) GROUP BY r.district"),
                Arguments.of("SELECT r.gender, SUM(w.cost) AS s FROM residents r LEFT SEMI JOIN medical_visits v"
                                + " ON r.person_id = v.person_id JOIN medical_visits w ON w.person_id = r.person_id"
                                + " WHERE r.district = 'x' GROUP BY r.gender",
                        "SELECT r.gender, SUM(w.cost) AS s FROM residents r JOIN medical_visits w ON w.person_id = r.person_id"
                                + " WHERE r.district = 'x' AND EXISTS (SELECT 1 FROM medical_visits v WHERE r.person_id"
                                + " = v.person_id) GROUP BY r.gender"),
                Arguments.of("SELECT r.district, COUNT(*) AS n FROM residents r LEFT SEMI JOIN medical_visits v"
                                + " ON r.district = v.hospital GROUP BY r.district",
                        "SELECT r.district, COUNT(*) AS n FROM residents r WHERE EXISTS (SELECT 1 FROM medical_visits v"
                                + " WHERE r.district = v.hospital) GROUP BY r.district"));
    }

    @ParameterizedTest
    @MethodSource("sameAsExists")
    void check_semiOrAntiJoin_isJudgedAndRunAsTheExistsItMeans(String join, String exists) {
        for (Scenario scenario : new Scenario[] {ReferenceCatalog.everything(), ReferenceCatalog.dp()}) {
            Decision viaJoin = new QueryGuard(new ReferenceCatalog(), new SplittableRandom(7)).check(join, scenario);
            Decision viaExists = new QueryGuard(new ReferenceCatalog(), new SplittableRandom(7)).check(exists, scenario);

            assertThat(viaJoin.isAllowed()).as(scenario.outputMode() + " " + join).isEqualTo(viaExists.isAllowed());
            assertThat(viaJoin.violations().stream().map(Violation::rule).toList())
                    .isEqualTo(viaExists.violations().stream().map(Violation::rule).toList());
            assertThat(viaJoin.rewrittenSql()).isEqualTo(viaExists.rewrittenSql());
            assertThat(viaJoin.dpQuery().map(q -> q.sparkSql())).isEqualTo(viaExists.dpQuery().map(q -> q.sparkSql()));
            viaJoin.violations().forEach(v -> assertThat(v.detail()).doesNotContain("could not analyze"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT r.district, COUNT(*) AS n FROM residents r LEFT SEMI JOIN medical_visits v ON r.person_id = v.person_id GROUP BY r.district",
        "SELECT r.district, COUNT(*) AS n FROM residents r LEFT ANTI JOIN medical_visits v ON r.person_id = v.person_id GROUP BY r.district"})
    void check_semiOrAntiJoinOnThePerson_isAllowedInBothModes(String sql) {
        QueryGuard guard = new QueryGuard(new ReferenceCatalog(), new SplittableRandom(7));

        assertThat(guard.check(sql, ReferenceCatalog.everything()).isAllowed()).isTrue();
        assertThat(guard.check(sql, ReferenceCatalog.dp()).dpQuery()).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // under the preserved side of a right join, a row the anti-join dropped would come back with NULLs
        "SELECT r.district, COUNT(*) AS n FROM medical_visits w RIGHT JOIN (residents r LEFT ANTI JOIN medical_visits v"
                + " ON r.person_id = v.person_id) ON w.person_id = r.person_id GROUP BY r.district",
        "SELECT r.district, COUNT(*) AS n FROM medical_visits w LEFT JOIN (residents r LEFT SEMI JOIN medical_visits v"
                + " ON r.person_id = v.person_id) ON w.person_id = r.person_id GROUP BY r.district",
        "SELECT r.district, COUNT(*) AS n FROM residents r LEFT SEMI JOIN medical_visits v USING (person_id) GROUP BY r.district"})
    void check_semiOrAntiJoinWhereExistsWouldNotMeanTheSame_isRefusedClearly(String sql) {
        for (Scenario scenario : new Scenario[] {ReferenceCatalog.everything(), ReferenceCatalog.dp()}) {
            Decision decision = new QueryGuard(new ReferenceCatalog()).check(sql, scenario);

            assertThat(decision.isAllowed()).isFalse();
            Violation violation = decision.firstViolation().orElseThrow();
            assertThat(violation.rule()).isEqualTo(RuleId.UNSUPPORTED_CONSTRUCT);
            assertThat(violation.detail()).contains("LEFT SEMI or LEFT ANTI JOIN").doesNotContain("could not analyze");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // the right side's columns are not visible after the join, in Spark as here
        "SELECT r.district, v.hospital, COUNT(*) AS n FROM residents r LEFT SEMI JOIN medical_visits v"
                + " ON r.person_id = v.person_id GROUP BY r.district, v.hospital",
        // an unqualified column of both sides is ambiguous, as in Spark
        "SELECT r.district, COUNT(*) AS n FROM residents r LEFT SEMI JOIN medical_visits v ON person_id = v.person_id"
                + " GROUP BY r.district"})
    void check_semiJoinReadingWhatSparkCannot_isRefusedAsInvalid(String sql) {
        Decision decision = new QueryGuard(new ReferenceCatalog()).check(sql, ReferenceCatalog.everything());

        assertThat(decision.isAllowed()).isFalse();
        assertThat(decision.firstViolation().orElseThrow().rule()).isIn(RuleId.NOT_FOUND, RuleId.INVALID_QUERY);
    }
}
