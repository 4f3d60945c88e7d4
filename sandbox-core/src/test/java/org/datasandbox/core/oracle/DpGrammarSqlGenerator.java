package org.datasandbox.core.oracle;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A seeded grammar of the Spark SQL DP mode is meant to release, over {@link OracleData}'s tables, that knows no
 * attack and no rewrite: a source (one table, joins on the person to the other tables, a CTE or a derived table
 * with its own filter and computed columns, a semi- or anti-join written as {@code LEFT SEMI JOIN}, {@code IN}
 * sub-query or {@code EXISTS}), a {@code WHERE} of dimension equalities, {@code IN} lists, bucket-wide ranges,
 * {@code CASE} and date arithmetic, group keys (dimensions and keys derived from them or from coarsened
 * quasi-identifiers) and aggregates over clamped measures (counts, distinct people, sums, averages, quantiles,
 * MIN / MAX, filtered sums), then expressions over the aggregates and {@code ORDER BY}. About one query in six
 * is a shape DP mode must refuse (row-level output, an identifier as key or filter, an aggregate of an
 * identifier, a key computed from an aggregate's value, a window over rows): the oracle judges whatever the
 * guard allows, so the refused shapes test that it decides without throwing.
 */
final class DpGrammarSqlGenerator {

    /** A generated query: its Spark text and the constructs it used. */
    record Query(String sql, String shape) {
    }

    /** A source in FROM: its text, dimensions, measures, unit column, and the tables' aliases. */
    private record Source(String from, List<String> dims, List<String> measures, String unit, String alias) {
    }

    private final Random random;
    private final Set<String> shape = new LinkedHashSet<>();
    private final List<String> ctes = new ArrayList<>();

    DpGrammarSqlGenerator(long seed) {
        this.random = new Random(seed);
    }

    List<Query> generate(int count) {
        List<Query> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(query());
        }
        return out;
    }

    private Query query() {
        shape.clear();
        ctes.clear();
        String sql = random.nextInt(6) == 0 ? refused() : aggregate();
        String with = ctes.isEmpty() ? "" : "WITH " + String.join(", ", ctes) + " ";
        return new Query(with + sql, String.join(", ", shape));
    }

    private String aggregate() {
        Source source = source();
        List<String> keys = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            String key = key(source);
            if (!keys.contains(key)) {
                keys.add(key);
            }
        }
        List<String> where = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            where.add(condition(source));
        }
        String from = source.from();
        String semi = semiOrAnti(source);
        if (semi.startsWith("LEFT ")) {
            from += " " + semi;
        } else if (!semi.isEmpty()) {
            where.add(semi);
        }
        List<String> select = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            select.add(keys.get(i) + " AS k" + i);
        }
        int aggregates = 1 + random.nextInt(3);
        List<String> names = new ArrayList<>();
        for (int a = 0; a < aggregates; a++) {
            String name = "a" + a;
            select.add(aggregateOf(source) + " AS " + name);
            names.add(name);
        }
        String body = "SELECT " + String.join(", ", select) + " FROM " + from
                + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                + (keys.isEmpty() ? "" : " GROUP BY " + String.join(", ", keys));
        if (random.nextInt(4) == 0) {
            // expressions over the aggregates, after it
            shape.add("expression over aggregates");
            List<String> outer = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                outer.add("k" + i);
            }
            String a = pick(names);
            outer.add(pick(List.of("ROUND(" + a + ", 1)", a + " * 2 + 1", "ABS(" + a + ")",
                    "CASE WHEN " + a + " > 10 THEN 'many' ELSE 'few' END")) + " AS e");
            outer.addAll(names);
            body = "SELECT " + String.join(", ", outer) + " FROM (" + body + ") g";
        }
        if (!keys.isEmpty() && random.nextInt(3) == 0) {
            shape.add("order by");
            body += " ORDER BY " + (random.nextBoolean() ? "k0" : pick(names) + " DESC");
        }
        return body;
    }

    /** The table or join the aggregate reads, sometimes through a CTE or a derived table with its own filter. */
    private Source source() {
        Source base = switch (random.nextInt(7)) {
            case 0, 1 -> new Source("people p", List.of("p.gender", "p.district"), List.of("p.income", "p.age"),
                    "p.pid", "p");
            case 2, 3 -> new Source("visits v", List.of("v.hospital", "v.icd10"), List.of("v.cost"), "v.pid", "v");
            case 4 -> new Source("labs l", List.of("l.test", "l.flag"), List.of("l.result"), "l.pid", "l");
            case 5 -> {
                shape.add("join on the person");
                yield new Source("people p JOIN visits v ON p.pid = v.pid", List.of("p.gender", "p.district",
                        "v.hospital", "v.icd10"), List.of("p.income", "v.cost"), "p.pid", "p");
            }
            default -> {
                shape.add("join of event tables on the person");
                yield new Source("visits v JOIN labs l ON v.pid = l.pid", List.of("v.hospital", "l.test"),
                        List.of("v.cost", "l.result"), "v.pid", "v");
            }
        };
        int wrap = random.nextInt(5);
        if (wrap > 1 || base.from().contains(" JOIN ")) {
            return base;
        }
        // a single table through a CTE or a derived table: same columns, a filter and a computed column
        String table = base.from().split(" ")[0];
        String alias = base.alias();
        String inner = "SELECT *" + (table.equals("visits") ? ", YEAR(visit_date) AS visit_year" : "")
                + " FROM " + table + (random.nextBoolean() ? " WHERE " + condition(base).replace(alias + ".", "") : "");
        List<String> dims = new ArrayList<>(base.dims());
        if (table.equals("visits")) {
            dims.add(alias + ".visit_year");
        }
        if (wrap == 0) {
            shape.add("cte");
            ctes.add("c" + ctes.size() + " AS (" + inner + ")");
            return new Source("c" + (ctes.size() - 1) + " " + alias, dims, base.measures(), base.unit(), alias);
        }
        shape.add("derived table");
        return new Source("(" + inner + ") " + alias, dims, base.measures(), base.unit(), alias);
    }

    /** A group key: a dimension, or a key derived from dimensions or coarsened quasi-identifiers. */
    private String key(Source source) {
        int choice = random.nextInt(6);
        if (choice == 0) {
            shape.add("derived key");
            String d = pick(source.dims());
            return "CASE WHEN " + d + " IN (" + literalOf(d) + ", " + literalOf(d) + ") THEN 'a' ELSE 'b' END";
        }
        if (choice == 1 && source.from().contains("people") && source.dims().contains("p.gender")) {
            shape.add("coarsened quasi-identifier key");
            return pick(List.of("FLOOR(p.age / 10) * 10", "YEAR(p.birth_date)"));
        }
        if (choice == 1 && source.dims().contains("v.hospital")) {
            shape.add("date key");
            return pick(List.of("MONTH(v.visit_date)", "DATE_TRUNC('MONTH', v.visit_date)"));
        }
        if (choice == 2) {
            shape.add("string function key");
            return "UPPER(" + pick(source.dims()) + ")";
        }
        return pick(source.dims());
    }

    /** A condition on dimensions, bucket-wide ranges, IN lists, CASE, date arithmetic. */
    private String condition(Source source) {
        String d = pick(source.dims());
        boolean people = source.from().contains("people") || source.alias().equals("p");
        boolean visits = source.dims().contains("v.hospital");
        return switch (random.nextInt(8)) {
            case 0 -> {
                shape.add("IN list");
                yield d + " IN (" + literalOf(d) + ", " + literalOf(d) + ")";
            }
            case 1 -> {
                shape.add("not equal");
                yield d + " <> " + literalOf(d);
            }
            case 2 -> {
                shape.add("CASE condition");
                yield "CASE WHEN " + d + " = " + literalOf(d) + " THEN 1 ELSE 0 END = " + random.nextInt(2);
            }
            case 3 -> {
                if (people) {
                    shape.add("range");
                    int low = 20 + 10 * random.nextInt(6);
                    yield "p.age BETWEEN " + low + " AND " + (low + 9 + 10 * random.nextInt(2));
                }
                yield d + " = " + literalOf(d);
            }
            case 4 -> {
                if (visits) {
                    shape.add("date arithmetic");
                    int month = 1 + random.nextInt(10);
                    String start = "DATE '2025-" + (month < 10 ? "0" : "") + month + "-01'";
                    yield "v.visit_date >= " + start + " AND v.visit_date < DATE_ADD(" + start + ", "
                            + (31 * (1 + random.nextInt(3))) + ")";
                }
                yield d + " = " + literalOf(d);
            }
            case 5 -> {
                String m = pick(source.measures());
                shape.add("measure range");
                yield m + " > " + (m.endsWith("result") ? 5 : m.endsWith("age") ? 40 : 1000);
            }
            default -> d + " = " + literalOf(d);
        };
    }

    /**
     * Sometimes, people kept or dropped by whether they appear in another table, in all three spellings: a
     * condition, a {@code LEFT SEMI / ANTI JOIN} to append to FROM (it starts with "LEFT "), or nothing ("").
     */
    private String semiOrAnti(Source source) {
        if (random.nextInt(3) != 0 || !source.alias().equals("p") || source.from().contains(" JOIN ")) {
            return "";
        }
        String other = random.nextBoolean() ? "visits" : "labs";
        String filter = other.equals("visits") ? "o.hospital = " + literalOf("v.hospital") : "o.flag = 1";
        boolean anti = random.nextInt(3) == 0;
        return switch (random.nextInt(3)) {
            case 0 -> {
                shape.add(anti ? "NOT IN sub-query" : "IN sub-query");
                yield "p.pid " + (anti ? "NOT " : "") + "IN (SELECT o.pid FROM " + other + " o WHERE " + filter + ")";
            }
            case 1 -> {
                shape.add(anti ? "NOT EXISTS" : "EXISTS");
                yield (anti ? "NOT " : "") + "EXISTS (SELECT 1 FROM " + other + " o WHERE o.pid = p.pid AND "
                        + filter + ")";
            }
            default -> {
                shape.add(anti ? "LEFT ANTI JOIN" : "LEFT SEMI JOIN");
                yield (anti ? "LEFT ANTI JOIN " : "LEFT SEMI JOIN ") + other + " o ON o.pid = p.pid AND "
                        + filter;
            }
        };
    }

    /** An aggregate over clamped measures. */
    private String aggregateOf(Source source) {
        String m = pick(source.measures());
        return switch (random.nextInt(10)) {
            case 0, 1 -> "COUNT(*)";
            case 2 -> "COUNT(DISTINCT " + source.unit() + ")";
            case 3 -> "COUNT(" + m + ")";
            case 4 -> "SUM(" + m + ")";
            case 5 -> "AVG(" + m + ")";
            case 6 -> {
                shape.add("linear combination");
                yield "SUM(2 * " + m + " + 1)";
            }
            case 7 -> {
                shape.add("quantile");
                yield pick(List.of("PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY " + m + ")",
                        "PERCENTILE_CONT(0.9) WITHIN GROUP (ORDER BY " + m + ")", "MEDIAN(" + m + ")"));
            }
            case 8 -> {
                shape.add("MIN/MAX");
                yield (random.nextBoolean() ? "MIN(" : "MAX(") + m + ")";
            }
            default -> {
                shape.add("filtered aggregate");
                String d = pick(source.dims());
                yield "SUM(" + m + ") FILTER (WHERE " + d + " = " + literalOf(d) + ")";
            }
        };
    }

    /** A shape DP mode must refuse. */
    private String refused() {
        shape.add("must refuse");
        return switch (random.nextInt(7)) {
            case 0 -> "SELECT p.gender, p.income FROM people p WHERE p.district = 'north'";
            case 1 -> "SELECT p.name, COUNT(*) AS n FROM people p GROUP BY p.name";
            case 2 -> "SELECT p.district, COUNT(*) AS n FROM people p WHERE p.phone = '13800000000' GROUP BY p.district";
            case 3 -> "SELECT COUNT(DISTINCT p.diagnosis) AS n, MAX(p.pid) AS m FROM people p";
            case 4 -> "SELECT n, COUNT(*) AS c FROM (SELECT v.hospital, COUNT(*) AS n FROM visits v GROUP BY v.hospital) t"
                    + " GROUP BY n";
            case 5 -> "SELECT v.hospital, SUM(v.cost) OVER (PARTITION BY v.pid) AS s FROM visits v";
            default -> "SELECT p.age, COUNT(*) AS n FROM people p GROUP BY p.age";
        };
    }

    private String literalOf(String column) {
        String name = column.substring(column.indexOf('.') + 1);
        return switch (name) {
            case "gender" -> random.nextBoolean() ? "'F'" : "'M'";
            case "district" -> "'" + pick(OracleData.DISTRICTS) + "'";
            case "hospital" -> "'" + pick(OracleData.HOSPITALS) + "'";
            case "icd10" -> "'" + pick(OracleData.ICD10) + "'";
            case "test" -> "'" + pick(OracleData.TESTS) + "'";
            case "flag" -> String.valueOf(random.nextInt(3));
            case "visit_year" -> "2025";
            default -> throw new IllegalArgumentException("no literal domain for " + column);
        };
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
