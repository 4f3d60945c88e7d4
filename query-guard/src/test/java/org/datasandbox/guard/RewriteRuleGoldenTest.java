package org.datasandbox.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.datasandbox.guard.catalog.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One golden file per rule of the rewrite ({@code golden/rewrite/<rule>.txt}): for each query the plan before
 * the rewrite, after it, and the Spark SQL sent to Spark. Any change to a rule's output fails that rule's
 * test with the diff; a golden file no rule renders fails too, so a renamed or removed rule cannot leave a
 * stale golden that nothing checks. After a deliberate change, regenerate with
 * {@code mvn -pl query-guard test -Dtest=RewriteRuleGoldenTest -Dgolden.update=true} and review the diff.
 */
class RewriteRuleGoldenTest {
    private static final Path DIR = Path.of("src/test/resources/golden/rewrite");

    /** A rule of the rewrite: the scenario it runs under and the queries that show what it does. */
    private record Rule(String name, Scenario scenario, Map<String, String> queries) {
    }

    private static Scenario mergingSmallGroups() {
        Scenario all = ReferenceCatalog.everything();
        return new Scenario("merge-small-groups", all.grants(), all.outputMode(), 5, Scenario.SmallGroups.MERGE);
    }

    private static Map<String, String> queries(String... namesAndSql) {
        Map<String, String> queries = new LinkedHashMap<>();
        for (int i = 0; i < namesAndSql.length; i += 2) {
            queries.put(namesAndSql[i], namesAndSql[i + 1]);
        }
        return queries;
    }

    static List<Rule> rules() {
        return List.of(
                // every aggregate over rows counts its distinct privacy units; groups below k are dropped
                new Rule("group-threshold", ReferenceCatalog.everything(), queries(
                        "group-by", "SELECT district, COUNT(*) AS n FROM residents GROUP BY district",
                        "global", "SELECT COUNT(*) AS n, SUM(income) AS income FROM residents",
                        "filtered-rows", "SELECT sex, COUNT(*) AS n FROM patients WHERE age > 60 GROUP BY sex",
                        "order-and-limit", "SELECT year, COUNT(*) AS n FROM arrests GROUP BY year ORDER BY n DESC LIMIT 5",
                        "aggregate-of-groups-left-alone",
                        "SELECT MAX(n) AS largest FROM (SELECT district, COUNT(*) AS n FROM residents GROUP BY district) t")),
                // a value that only some rows of a group feed (FILTER, CASE, a nullable argument) needs k units of its own
                new Rule("cell-threshold", ReferenceCatalog.everything(), queries(
                        "filter-clause", "SELECT sex, COUNT(*) FILTER (WHERE death = 1) AS deaths, COUNT(*) AS n FROM patients GROUP BY sex",
                        "count-if", "SELECT sex, count_if(mgus = 1) AS mgus FROM patients GROUP BY sex",
                        "case-in-aggregate", "SELECT district, SUM(CASE WHEN gender = '女' THEN income ELSE 0 END) AS women "
                                + "FROM residents GROUP BY district",
                        "nullable-argument", "SELECT district, AVG(income) AS avg_income FROM residents GROUP BY district")),
                // the scenario asks for small groups to be merged into one remainder group with NULL keys
                new Rule("merge-small-groups", mergingSmallGroups(), queries(
                        "one-key", "SELECT district, COUNT(*) AS n FROM residents GROUP BY district",
                        "two-keys", "SELECT district, gender, AVG(income) AS avg_income FROM residents GROUP BY district, gender")),
                // the privacy unit is carried up from every scan, through joins, sub-queries and UNION ALL
                new Rule("privacy-unit-lineage", ReferenceCatalog.everything(), queries(
                        "inner-join", "SELECT r.district, SUM(v.cost) AS cost FROM residents r JOIN medical_visits v "
                                + "ON r.person_id = v.person_id GROUP BY r.district",
                        "left-join", "SELECT r.gender, COUNT(v.visit_id) AS visits FROM residents r LEFT JOIN medical_visits v "
                                + "ON r.person_id = v.person_id GROUP BY r.gender",
                        "semi-join", "SELECT gender, COUNT(*) AS n FROM residents WHERE person_id IN "
                                + "(SELECT person_id FROM medical_visits WHERE cost > 3000) GROUP BY gender",
                        "union-all-rows", "SELECT sex, COUNT(*) AS n FROM (SELECT sex FROM arrests UNION ALL "
                                + "SELECT sex FROM patients) t GROUP BY sex",
                        "derived-table", "SELECT decade, COUNT(*) AS n FROM (SELECT FLOOR(age / 10) AS decade FROM arrests) t "
                                + "GROUP BY decade")));
    }

    private static String render(Rule rule) {
        QueryGuard guard = new QueryGuard(new ReferenceCatalog());
        StringBuilder out = new StringBuilder();
        rule.queries().forEach((name, sql) -> {
            QueryGuard.Plans plans = guard.explain(sql, rule.scenario());
            out.append("### ").append(name).append('\n').append(sql).append('\n')
                    .append("--- before\n").append(plans.plan())
                    .append("--- after\n").append(plans.rewrittenPlan())
                    .append("--- spark sql\n").append(plans.sparkSql()).append("\n\n");
        });
        return out.toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void rewrite_ofEachRule_matchesItsGoldenFile(Rule rule) throws IOException {
        Path golden = DIR.resolve(rule.name() + ".txt");
        String actual = render(rule);
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(DIR);
            Files.writeString(golden, actual, StandardCharsets.UTF_8);
        }
        assertThat(golden).as("golden file of rule %s", rule.name()).exists();
        assertThat(actual).as("rewrite of rule %s against %s", rule.name(), golden)
                .isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }

    @Test
    void goldenFolder_holdsExactlyOneFilePerRule() throws IOException {
        Set<String> expected = rules().stream().map(r -> r.name() + ".txt").collect(Collectors.toCollection(TreeSet::new));
        try (Stream<Path> files = Files.list(DIR)) {
            Set<String> present = files.map(f -> f.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
            assertThat(present).isEqualTo(expected);
        }
    }
}
