package org.datasandbox.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
import org.datasandbox.guard.explain.Violation;
import org.junit.jupiter.api.Test;

/**
 * Rule: a guard message names positions in the query and the developer's own text (and the scenario's table and
 * column names, which the catalog shows); it never carries a value from the policy side: a column's public values,
 * its clamping bounds or bucket widths. The planner's messages are Calcite's, so the oracle does not list Calcite's
 * messages: it generates malformed and mistyped queries from a small grammar over a catalog whose policy values are
 * marked, and checks every refusal's text for the marks.
 */
class GuardMessageHygieneTest {
    /** Policy-side values, each recognisable in any text, none ever in a generated query. */
    private static final List<String> POLICY_VALUES = List.of("PUBVALQX", "pubvalqy", "987654", "876543", "4321",
            "7919");
    private static final GuardTable PEOPLE = new GuardTable("people", List.of(
            GuardColumn.of("pid", ColumnType.BIGINT, ColumnRole.PRIVACY_UNIT),
            GuardColumn.of("ward", ColumnType.STRING, ColumnRole.DIMENSION).withPublicValues(List.of("PUBVALQX", "pubvalqy")),
            GuardColumn.of("age", ColumnType.INTEGER, ColumnRole.QUASI_IDENTIFIER).withBounds(new Bounds(7919, 987654))
                    .withBucketing(Bucketing.numeric(4321)),
            GuardColumn.of("income", ColumnType.DOUBLE, ColumnRole.MEASURE).withBounds(new Bounds(0, 876543)),
            GuardColumn.of("born", ColumnType.DATE, ColumnRole.QUASI_IDENTIFIER),
            GuardColumn.of("name", ColumnType.STRING, ColumnRole.DIRECT_IDENTIFIER)));
    private static final GuardCatalog CATALOG = new GuardCatalog() {
        @Override
        public java.util.Optional<GuardTable> table(String name) {
            return name.equalsIgnoreCase("people") ? java.util.Optional.of(PEOPLE) : java.util.Optional.empty();
        }

        @Override
        public List<JoinKey> joinKeys() {
            return List.of();
        }
    };
    private static final Map<String, Set<String>> GRANTS = Map.of("people",
            Set.of("pid", "ward", "age", "income", "born", "name"));
    private static final List<Scenario> SCENARIOS = List.of(new Scenario("t", GRANTS, OutputMode.THRESHOLD, 5),
            new Scenario("d", GRANTS, OutputMode.DP, 5, Scenario.SmallGroups.SUPPRESS,
                    new org.datasandbox.guard.catalog.ContributionBounds(2, 1)));
    /** The planner's refusals: their text comes from Calcite. */
    private static final Set<RuleId> PLANNER_RULES = Set.of(RuleId.INVALID_QUERY, RuleId.NOT_FOUND,
            RuleId.FUNCTION_NOT_ALLOWED);

    private static final List<String> COLUMNS = List.of("pid", "ward", "age", "income", "born", "name", "nosuch",
            "people.ward", "p.age", "x.ward");
    private static final List<String> LITERALS = List.of("'devtext'", "12", "3.5", "DATE '2020-01-02'", "NULL", "TRUE",
            "'2020-13-45'", "-1", "'a''b'");
    private static final List<String> FUNCTIONS = List.of("abs", "upper", "substr", "coalesce", "year", "floor",
            "concat", "round", "nosuchfn", "cast", "length", "date_add");
    private static final List<String> OPERATORS = List.of("+", "-", "*", "/", "=", "<", ">=", "<>", "||", "AND", "OR",
            "LIKE", "IN", "BETWEEN");
    private static final List<String> AGGREGATES = List.of("COUNT(*)", "SUM", "AVG", "MIN", "MAX", "COUNT(DISTINCT",
            "STDDEV");
    private static final List<String> NOISE = List.of("(", ")", ",", "SELECT", "FROM", "WHERE", "GROUP BY", "HAVING",
            "ORDER BY", "JOIN", "ON", "AS", "CASE WHEN", "THEN", "ELSE", "END", "UNION", "LIMIT", "'", "`", ";", "*");

    @Test
    void check_generatedMalformedQueries_neverEchoAPolicyValue() {
        QueryGuard guard = new QueryGuard(CATALOG);
        Random random = new Random(20261130);
        int refused = 0;
        int fromPlanner = 0;
        for (int i = 0; i < 250; i++) {
            String sql = mutate(query(random), random);
            for (Scenario scenario : SCENARIOS) {
                Decision decision = guard.check(sql, scenario);
                for (Violation violation : decision.violations()) {
                    refused++;
                    fromPlanner += PLANNER_RULES.contains(violation.rule()) ? 1 : 0;
                    String shown = violation.message() + " " + violation.suggestion().orElse("");
                    for (String value : POLICY_VALUES) {
                        assertThat(shown).as("the refusal of %s", sql).doesNotContainIgnoringCase(value);
                    }
                }
            }
        }
        // the grammar reaches the planner's messages, not only the parser's
        assertThat(refused).isGreaterThan(250);
        assertThat(fromPlanner).isGreaterThan(80);
    }

    /** A query of the grammar: mostly well-formed in shape, often mistyped or misnamed. */
    private static String query(Random random) {
        List<String> select = new ArrayList<>();
        int items = 1 + random.nextInt(3);
        for (int i = 0; i < items; i++) {
            select.add(expression(random, 2));
        }
        StringBuilder sql = new StringBuilder("SELECT ").append(String.join(", ", select));
        sql.append(" FROM ").append(random.nextInt(6) == 0 ? "nosuchtable" : "people")
                .append(random.nextBoolean() ? " p" : "");
        if (random.nextBoolean()) {
            sql.append(" WHERE ").append(expression(random, 2));
        }
        if (random.nextBoolean()) {
            sql.append(" GROUP BY ").append(pick(COLUMNS, random));
            if (random.nextInt(3) == 0) {
                sql.append(" HAVING ").append(expression(random, 1));
            }
        }
        if (random.nextInt(4) == 0) {
            sql.append(" ORDER BY ").append(random.nextBoolean() ? pick(COLUMNS, random) : "" + (1 + random.nextInt(4)));
        }
        return sql.toString();
    }

    private static String expression(Random random, int depth) {
        int kind = depth == 0 ? random.nextInt(2) : random.nextInt(6);
        return switch (kind) {
            case 0 -> pick(COLUMNS, random);
            case 1 -> pick(LITERALS, random);
            case 2 -> expression(random, depth - 1) + " " + pick(OPERATORS, random) + " " + expression(random, depth - 1);
            case 3 -> {
                String function = pick(FUNCTIONS, random);
                yield function.equals("cast") ? "CAST(" + expression(random, depth - 1) + " AS "
                        + pick(List.of("INT", "DATE", "STRING", "DECIMAL(3, 1)", "BOOLEAN"), random) + ")"
                        : function + "(" + expression(random, depth - 1)
                        + (random.nextBoolean() ? ", " + expression(random, depth - 1) : "") + ")";
            }
            case 4 -> {
                String aggregate = pick(AGGREGATES, random);
                yield aggregate.equals("COUNT(*)") ? aggregate : aggregate.endsWith("(")
                        ? aggregate + " " + expression(random, depth - 1) + ")"
                        : aggregate + "(" + expression(random, depth - 1) + ")";
            }
            default -> "CASE WHEN " + expression(random, depth - 1) + " THEN " + expression(random, depth - 1)
                    + " ELSE " + expression(random, depth - 1) + " END";
        };
    }

    /** Half the queries as generated (type and name errors), half broken further by a token dropped or inserted. */
    private static String mutate(String sql, Random random) {
        if (random.nextBoolean()) {
            return sql;
        }
        List<String> tokens = new ArrayList<>(List.of(sql.split(" ")));
        int at = random.nextInt(tokens.size());
        if (random.nextBoolean() && tokens.size() > 2) {
            tokens.remove(at);
        } else {
            tokens.add(at, pick(NOISE, random));
        }
        return String.join(" ", tokens);
    }

    private static String pick(List<String> values, Random random) {
        return values.get(random.nextInt(values.size()));
    }
}
