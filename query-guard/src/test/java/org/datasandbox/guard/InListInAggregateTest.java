package org.datasandbox.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.datasandbox.guard.catalog.Scenario;
import org.datasandbox.guard.explain.Decision;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An {@code IN} value list inside an aggregate's argument or {@code FILTER} made Calcite's converter fail inside
 * ({@code NullPointerException: subQuery}: it converts every IN list as a sub-query, registered only for the clauses
 * it knows), so the guard refused it as a query it could not analyze. It is judged as the disjunction it means: the
 * same decision and, allowed, the same Spark SQL as the {@code OR} written by hand, in both modes.
 */
class InListInAggregateTest {

    static Stream<Arguments> sameAsDisjunction() {
        return Stream.of(
                Arguments.of("SELECT district, count_if(gender IN ('a', 'b')) AS n, SUM(count_if(gender IN ('a', 'b')))"
                                + " OVER () AS t FROM residents GROUP BY district",
                        "SELECT district, count_if(gender = 'a' OR gender = 'b') AS n, SUM(count_if(gender = 'a' OR"
                                + " gender = 'b')) OVER () AS t FROM residents GROUP BY district"),
                Arguments.of("SELECT district, SUM(COUNT(*) FILTER (WHERE gender IN ('a', 'b'))) OVER () AS t"
                                + " FROM residents GROUP BY district",
                        "SELECT district, SUM(COUNT(*) FILTER (WHERE gender = 'a' OR gender = 'b')) OVER () AS t"
                                + " FROM residents GROUP BY district"),
                Arguments.of("SELECT district, COUNT(*) FILTER (WHERE gender IN ('a', 'b')) AS n FROM residents GROUP BY district",
                        "SELECT district, COUNT(*) FILTER (WHERE gender = 'a' OR gender = 'b') AS n FROM residents GROUP BY district"),
                Arguments.of("SELECT district, SUM(CASE WHEN gender IN ('a', 'b') THEN income ELSE 0 END) AS s FROM residents GROUP BY district",
                        "SELECT district, SUM(CASE WHEN gender = 'a' OR gender = 'b' THEN income ELSE 0 END) AS s FROM residents GROUP BY district"),
                Arguments.of("SELECT district, count_if(gender NOT IN ('a', 'b')) AS n FROM residents GROUP BY district",
                        "SELECT district, count_if(NOT (gender = 'a' OR gender = 'b')) AS n FROM residents GROUP BY district"),
                Arguments.of("SELECT district, COUNT(*) AS n FROM residents GROUP BY district"
                                + " HAVING SUM(CASE WHEN gender IN ('a', 'b') THEN 1 ELSE 0 END) > 3",
                        "SELECT district, COUNT(*) AS n FROM residents GROUP BY district"
                                + " HAVING SUM(CASE WHEN gender = 'a' OR gender = 'b' THEN 1 ELSE 0 END) > 3"));
    }

    @ParameterizedTest
    @MethodSource("sameAsDisjunction")
    void check_inListInsideAnAggregate_isJudgedAsTheDisjunctionItMeans(String in, String or) {
        for (Scenario scenario : new Scenario[] {ReferenceCatalog.everything(), ReferenceCatalog.dp()}) {
            Decision viaIn = new QueryGuard(new ReferenceCatalog(), new SplittableRandom(3)).check(in, scenario);
            Decision viaOr = new QueryGuard(new ReferenceCatalog(), new SplittableRandom(3)).check(or, scenario);

            viaIn.violations().forEach(v -> assertThat(v.detail()).as(in).doesNotContain("could not analyze"));
            assertThat(viaIn.isAllowed()).as(scenario.outputMode() + " " + in).isEqualTo(viaOr.isAllowed());
            assertThat(viaIn.rewrittenSql()).isEqualTo(viaOr.rewrittenSql());
            assertThat(viaIn.dpQuery().map(q -> q.sparkSql())).isEqualTo(viaOr.dpQuery().map(q -> q.sparkSql()));
        }
        assertThat(new QueryGuard(new ReferenceCatalog()).check(in, ReferenceCatalog.everything()).isAllowed()).isTrue();
    }
}
