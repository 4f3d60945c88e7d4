package org.datasandbox.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Golden files of representative queries: the plan, the plan after the k-threshold rewrite, and the Spark
 * SQL. A change in any of them shows up as a diff. After a deliberate change, regenerate with
 * {@code mvn -pl query-guard test -Dtest=GoldenPlanTest -Dgolden.update=true} and review the diff.
 */
class GoldenPlanTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/rewrites.txt");
    private static final Map<String, String> QUERIES = new LinkedHashMap<>();

    static {
        QUERIES.put("group-by-dimension", "SELECT district, COUNT(*) AS n, AVG(income) AS avg_income FROM residents GROUP BY district");
        QUERIES.put("derived-dimension", "SELECT FLOOR(age / 10) AS decade, COUNT(*) AS n FROM arrests GROUP BY FLOOR(age / 10)");
        QUERIES.put("global-aggregate", "SELECT COUNT(*) AS n FROM patients WHERE death = 1");
        QUERIES.put("join-on-declared-key", "SELECT r.district, SUM(v.cost) AS cost FROM residents r JOIN medical_visits v "
                + "ON r.person_id = v.person_id WHERE r.diagnosis = '高血压' GROUP BY r.district");
        QUERIES.put("left-join", "SELECT r.district, COUNT(v.visit_id) AS visits FROM residents r LEFT JOIN medical_visits v "
                + "ON r.person_id = v.person_id GROUP BY r.district");
        QUERIES.put("in-subquery-semi-join", "SELECT gender, COUNT(*) AS n FROM residents WHERE person_id IN "
                + "(SELECT person_id FROM medical_visits WHERE cost > 3000) GROUP BY gender");
        QUERIES.put("not-exists-anti-join", "SELECT COUNT(*) AS n FROM residents r WHERE NOT EXISTS "
                + "(SELECT 1 FROM medical_visits v WHERE v.person_id = r.person_id)");
        QUERIES.put("filtered-cells", "SELECT sex, COUNT(*) FILTER (WHERE death = 1) AS deaths, count_if(mgus = 1) AS mgus, "
                + "COUNT(*) AS n FROM patients GROUP BY sex");
        QUERIES.put("union-of-aggregates", "SELECT 'arrests' AS source, sex, COUNT(*) AS n FROM arrests GROUP BY sex "
                + "UNION ALL SELECT 'patients', sex, COUNT(*) FROM patients GROUP BY sex");
        QUERIES.put("conditional-cells", "SELECT district, AVG(CASE WHEN diagnosis = '高血压' THEN 1 ELSE 0 END) AS share, "
                + "SUM(income) FILTER (WHERE gender = '女') AS women_income FROM residents GROUP BY district");
        QUERIES.put("aggregate-of-aggregates", "SELECT AVG(n) AS avg_n FROM (SELECT year, COUNT(*) AS n FROM arrests GROUP BY year) t");
        QUERIES.put("window-over-groups", "SELECT district, n, RANK() OVER (ORDER BY n DESC) AS r FROM "
                + "(SELECT district, COUNT(*) AS n FROM residents GROUP BY district) t");
        QUERIES.put("case-buckets", "SELECT CASE WHEN age < 18 THEN 'minor' WHEN age < 30 THEN 'young adult' ELSE 'adult' END AS band, "
                + "COUNT(*) AS n FROM arrests GROUP BY 1");
    }

    private static String render() {
        QueryGuard guard = new QueryGuard(new ReferenceCatalog());
        StringBuilder out = new StringBuilder();
        QUERIES.forEach((name, sql) -> {
            QueryGuard.Plans plans = guard.explain(sql, ReferenceCatalog.everything());
            out.append("### ").append(name).append('\n').append(sql).append('\n')
                    .append("--- plan\n").append(plans.plan())
                    .append("--- rewritten plan\n").append(plans.rewrittenPlan())
                    .append("--- spark sql\n").append(plans.sparkSql()).append("\n\n");
        });
        return out.toString();
    }

    @Test
    void rewrites_ofRepresentativeQueries_matchGoldenFile() throws IOException {
        String actual = render();
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(GOLDEN, actual, StandardCharsets.UTF_8);
        }
        assertThat(actual).isEqualTo(Files.readString(GOLDEN, StandardCharsets.UTF_8));
    }
}
