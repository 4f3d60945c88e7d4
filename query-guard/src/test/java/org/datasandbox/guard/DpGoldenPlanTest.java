package org.datasandbox.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Golden files of the DP rewrite, one per query shape: the plan, the rewritten plan and the Spark SQL, with a
 * seeded salt generator so that the salts are stable. After a deliberate change, regenerate with
 * {@code mvn -pl query-guard test -Dtest=DpGoldenPlanTest -Dgolden.update=true} and review the diff.
 */
class DpGoldenPlanTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/dp-rewrites.txt");
    private static final Map<String, String> QUERIES = new LinkedHashMap<>();

    static {
        QUERIES.put("one-row-per-unit-clamping-only", "SELECT district, COUNT(*) AS n, AVG(income) AS avg_income "
                + "FROM residents GROUP BY district");
        QUERIES.put("public-domain-key", "SELECT gender, SUM(income) AS income FROM residents GROUP BY gender");
        QUERIES.put("event-table-bounded", "SELECT hospital, COUNT(*) AS visits, AVG(cost) AS avg_cost "
                + "FROM medical_visits GROUP BY hospital");
        QUERIES.put("global-aggregate-no-group-bound", "SELECT COUNT(*) AS n, SUM(cost) AS cost FROM medical_visits");
        QUERIES.put("join-person-to-visits", "SELECT r.district, SUM(v.cost) AS cost, COUNT(DISTINCT r.person_id) AS people "
                + "FROM residents r JOIN medical_visits v ON r.person_id = v.person_id GROUP BY r.district");
        QUERIES.put("left-join", "SELECT r.gender, COUNT(v.visit_id) AS visits FROM residents r LEFT JOIN medical_visits v "
                + "ON r.person_id = v.person_id GROUP BY r.gender");
        QUERIES.put("semi-join", "SELECT gender, COUNT(*) AS n FROM residents WHERE person_id IN "
                + "(SELECT person_id FROM medical_visits WHERE cost > 3000) GROUP BY gender");
        QUERIES.put("quantiles", "SELECT hospital, MIN(cost) AS lowest, MAX(cost) AS highest FROM medical_visits "
                + "GROUP BY hospital");
        QUERIES.put("percentile-within-group", "SELECT icd10, PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY cost) AS median_cost "
                + "FROM medical_visits GROUP BY icd10");
        QUERIES.put("linear-combination-and-filter", "SELECT district, SUM(income / 1000 + 1) AS k_income, "
                + "SUM(income) FILTER (WHERE gender = '女') AS women_income FROM residents GROUP BY district");
        QUERIES.put("reordered-output-derived-key", "SELECT COUNT(*) AS n, FLOOR(age / 10) AS decade FROM arrests "
                + "GROUP BY FLOOR(age / 10)");
    }

    private static String render() {
        QueryGuard guard = new QueryGuard(new ReferenceCatalog(), new SplittableRandom(2026));
        StringBuilder out = new StringBuilder();
        QUERIES.forEach((name, sql) -> {
            QueryGuard.Plans plans = guard.explain(sql, ReferenceCatalog.dp());
            out.append("### ").append(name).append('\n').append(sql).append('\n')
                    .append("--- plan\n").append(plans.plan())
                    .append("--- rewritten plan\n").append(plans.rewrittenPlan())
                    .append("--- spark sql\n").append(plans.sparkSql()).append("\n\n");
        });
        return out.toString();
    }

    @Test
    void dpRewrites_ofEachQueryShape_matchGoldenFile() throws IOException {
        String actual = render();
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(GOLDEN, actual, StandardCharsets.UTF_8);
        }
        assertThat(actual).isEqualTo(Files.readString(GOLDEN, StandardCharsets.UTF_8));
    }
}
