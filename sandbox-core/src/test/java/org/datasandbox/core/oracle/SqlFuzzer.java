package org.datasandbox.core.oracle;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * A seeded, deterministic generator of the Spark SQL an analyst writes and an attacker might, over
 * {@link OracleData}'s tables: one aggregate block (group keys first, then aggregates) over a source that
 * is a table, a join of any kind, a semi or anti join, a filtered sub-query, a CTE or a UNION ALL with a
 * padding branch; aggregates from plain counts and sums to conditional cells, casts and arithmetic;
 * filters on every column role with comparisons, ranges, OR, IN, LIKE and scalar sub-queries; HAVING;
 * top-level UNION ALL of two marginals and histograms of per-person counts; several aggregates of one table
 * side by side (a marginal next to its total, two marginals joined), as a share of a total or of another
 * marginal, or combined otherwise (a difference, a comparison, a sum over both). About half of the choices are
 * benign, so that today's guard allows many queries. The shape label names the choices for the report.
 *
 * <p>Queries marked {@code h2} use only SQL that H2 evaluates like Spark (inner joins, plain and
 * conditional aggregates of measures, dimension and range filters); their H2 text is given too. Those with
 * no H2 unit combine several aggregates: H2 answers the whole query, and its released values are compared
 * as they are (no one group to count k people in).
 */
final class SqlFuzzer {
    private final Random random;

    /** A generated query: Spark text, how many leading output columns identify a row, its shape, its H2 text. */
    record FuzzQuery(String sql, int keys, String shape, String h2Sql, String h2Unit, List<String> h2Keys) {
        boolean h2() {
            return h2Sql != null;
        }
    }

    SqlFuzzer(long seed) {
        this.random = new Random(seed);
    }

    /** A source: FROM text, how a column is written (null when not available), and whether H2 can run it. */
    private record Source(String name, String prefix, String from, Function<String, String> column, boolean h2) {
    }

    List<FuzzQuery> generate(int count) {
        List<FuzzQuery> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int form = random.nextInt(20);
            out.add(form == 0 ? marginals() : form == 1 ? histogram() : form == 2 ? combined() : form == 3 ? nullCells() : block());
        }
        return out;
    }

    private boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static final List<String> PEOPLE = List.of("pid", "name", "phone", "gender", "district", "age", "birth_date",
            "income", "diagnosis");
    private static final List<String> VISITS = List.of("visit_id", "pid", "hospital", "visit_date", "icd10", "cost");
    private static final List<String> LABS = List.of("pid", "test", "result", "flag");

    private static Function<String, String> qualified(Map<String, String> aliases) {
        return c -> aliases.get(c);
    }

    private static Map<String, String> columns(String alias, List<String> names, Map<String, String> into) {
        for (String n : names) {
            into.putIfAbsent(n, alias == null ? n : alias + "." + n);
        }
        return into;
    }

    private Source source() {
        int kind = random.nextInt(15);
        String condition = chance(50) ? "gender = 'F'" : "age >= " + (20 + random.nextInt(60));
        switch (kind) {
            case 0, 1, 2:
                return new Source("people", "", "people", qualified(columns(null, PEOPLE, new LinkedHashMap<>())), true);
            case 3:
                return new Source("visits", "", "visits", qualified(columns(null, VISITS, new LinkedHashMap<>())), true);
            case 4:
                return new Source("labs", "", "labs", qualified(columns(null, LABS, new LinkedHashMap<>())), true);
            case 5, 6: {
                String join = pick(List.of("JOIN", "JOIN", "LEFT JOIN", "RIGHT JOIN", "FULL JOIN"));
                boolean labs = chance(30);
                Map<String, String> cols = columns("p", PEOPLE, new LinkedHashMap<>());
                columns(labs ? "l" : "v", labs ? LABS : VISITS, cols);
                return new Source("people " + join.toLowerCase() + (labs ? " labs" : " visits"), "",
                        "people p " + join + (labs ? " labs l ON p.pid = l.pid" : " visits v ON p.pid = v.pid"),
                        qualified(cols), join.equals("JOIN"));
            }
            case 7: {
                String join = pick(List.of("LEFT SEMI JOIN", "LEFT ANTI JOIN"));
                return new Source("people " + join.toLowerCase(), "", "people p " + join + " visits v ON p.pid = v.pid",
                        qualified(columns("p", PEOPLE, new LinkedHashMap<>())), false);
            }
            case 8:
                return new Source("sub-query", "", "(SELECT * FROM people WHERE " + condition + ") t",
                        qualified(columns(null, PEOPLE, new LinkedHashMap<>())), false);
            case 9:
                return new Source("cte", "WITH t AS (SELECT pid, gender, district, age, income, diagnosis FROM people WHERE "
                        + condition + ") ", "t", qualified(columns(null,
                        List.of("pid", "gender", "district", "age", "income", "diagnosis"), new LinkedHashMap<>())), false);
            case 10: {
                String padding = chance(50)
                        ? "SELECT pid, gender, district, age, 0.0 AS income FROM people"
                        : "SELECT CAST(0 AS BIGINT) AS pid, 'F' AS gender, 'north' AS district, 40 AS age, 0.0 AS income";
                String real = "SELECT pid, gender, district, age, income FROM people"
                        + (chance(50) ? " WHERE " + pick(List.of(condition, "diagnosis = 'rare'", "income > 50000")) : "");
                return new Source("union all padding", "", "(" + real + " UNION ALL " + padding + ") t",
                        qualified(columns(null, List.of("pid", "gender", "district", "age", "income"), new LinkedHashMap<>())),
                        false);
            }
            case 11: {
                // joins that keep one row per person (people is declared so): to itself on the unit, or to
                // per-person rows; each side's units are then counted without DISTINCT
                boolean self = chance(50);
                String join = pick(List.of("JOIN", "LEFT JOIN"));
                return new Source("people " + join.toLowerCase() + (self ? " people on the unit" : " visits per person"), "",
                        "people p " + join + (self ? " people q ON p.pid = q.pid"
                                : " (SELECT pid, COUNT(*) AS n FROM visits GROUP BY pid) s ON p.pid = s.pid"),
                        qualified(columns("p", PEOPLE, new LinkedHashMap<>())), true);
            }
            case 12: {
                // a branch with no rows or one that splits the other: filters above must still be judged per branch
                int c = 20 + random.nextInt(60);
                String split = chance(50) ? " WHERE 1 = 0" : " WHERE age < " + c;
                String first = "SELECT pid, gender, district, age, income FROM people" + (split.contains("age") ? " WHERE age >= " + c : "");
                return new Source(split.contains("age") ? "union all split branches" : "union all empty branch", "",
                        "(" + first + " UNION ALL SELECT pid, gender, district, age, income FROM people" + split + ") t",
                        qualified(columns(null, List.of("pid", "gender", "district", "age", "income"), new LinkedHashMap<>())),
                        false);
            }
            case 13: {
                // many branches: a value a + b traced through each of them
                int branches = 3 + random.nextInt(8);
                List<String> parts = new ArrayList<>();
                for (int b = 0; b < branches; b++) {
                    parts.add("SELECT pid, gender, district, age, income, income * " + (b + 1) + " AS cost FROM people");
                }
                return new Source("union all of " + branches + " branches", "", "(" + String.join(" UNION ALL ", parts) + ") t",
                        qualified(columns(null, List.of("pid", "gender", "district", "age", "income", "cost"), new LinkedHashMap<>())),
                        false);
            }
            default: {
                Map<String, String> cols = columns("v", VISITS, new LinkedHashMap<>());
                columns("p", List.of("gender", "district", "age", "income", "diagnosis"), cols);
                String inner = chance(50) ? "SELECT pid, gender, district, age, income, diagnosis FROM people"
                        : "SELECT pid, gender, district, age, CASE WHEN diagnosis = 'rare' THEN income ELSE 0 END AS income,"
                        + " diagnosis FROM people";
                return new Source("visits join sub-query", "", "visits v JOIN (" + inner + ") p ON v.pid = p.pid",
                        qualified(cols), false);
            }
        }
    }

    /** A group key: [spark, h2, label]. */
    private String[] key(Source s) {
        List<String[]> options = new ArrayList<>();
        for (String dim : List.of("gender", "district", "diagnosis", "hospital", "icd10", "test", "flag")) {
            if (s.column().apply(dim) != null) {
                options.add(new String[] {s.column().apply(dim), s.column().apply(dim), "dimension"});
            }
        }
        String age = s.column().apply("age");
        if (age != null) {
            options.add(new String[] {"FLOOR(" + age + " / 10)", "FLOOR(" + age + " / 10.0)", "age bucket"});
            options.add(new String[] {"CASE WHEN " + age + " < 40 THEN 'under 40' ELSE '40+' END",
                    "CASE WHEN " + age + " < 40 THEN 'under 40' ELSE '40+' END", "case bucket"});
            if (chance(30)) {
                options.add(new String[] {pick(List.of(age, "FLOOR(" + age + " / 2)", "CEIL(" + age + " / 5)")), null,
                        "fine age"});
            }
        }
        String birth = s.column().apply("birth_date");
        if (birth != null) {
            options.add(new String[] {"FLOOR(YEAR(" + birth + ") / 10)", "FLOOR(YEAR(" + birth + ") / 10.0)", "birth decade"});
        }
        String visitDate = s.column().apply("visit_date");
        if (visitDate != null) {
            options.add(new String[] {"YEAR(" + visitDate + ")", "YEAR(" + visitDate + ")", "visit year"});
        }
        if (chance(5) && s.column().apply("name") != null) {
            options.add(new String[] {"SUBSTR(" + s.column().apply("name") + ", 1, 1)", null, "identifier prefix"});
        }
        return pick(options);
    }

    private String measure(Source s) {
        List<String> options = new ArrayList<>();
        for (String m : List.of("income", "cost", "result")) {
            if (s.column().apply(m) != null) {
                options.add(s.column().apply(m));
            }
        }
        return options.isEmpty() ? null : pick(options);
    }

    /** A condition on dimensions: [spark, h2]. */
    private String dimensionCondition(Source s) {
        List<String> options = new ArrayList<>();
        if (s.column().apply("gender") != null) {
            options.add(s.column().apply("gender") + " = 'F'");
        }
        if (s.column().apply("district") != null) {
            options.add(s.column().apply("district") + " IN ('north', 'east')");
        }
        if (s.column().apply("hospital") != null) {
            options.add(s.column().apply("hospital") + " = 'central'");
        }
        if (s.column().apply("diagnosis") != null) {
            options.add(s.column().apply("diagnosis") + " <> 'flu'");
        }
        if (s.column().apply("test") != null) {
            options.add(s.column().apply("test") + " = 'iron'");
        }
        if (s.column().apply("flag") != null) {
            options.add(s.column().apply("flag") + " >= 1");
        }
        return options.isEmpty() ? null : pick(options);
    }

    /** An aggregate: [spark, h2 or null, label]. */
    private String[] aggregate(Source s) {
        String m = measure(s);
        String cond = dimensionCondition(s);
        String pid = s.column().apply("pid");
        String age = s.column().apply("age");
        List<String[]> benign = new ArrayList<>();
        benign.add(new String[] {"COUNT(*)", "COUNT(*)", "count"});
        if (pid != null) {
            benign.add(new String[] {"COUNT(DISTINCT " + pid + ")", "COUNT(DISTINCT " + pid + ")", "count distinct unit"});
        }
        if (m != null) {
            benign.add(new String[] {"SUM(" + m + ")", "SUM(" + m + ")", "sum"});
            benign.add(new String[] {"AVG(" + m + ")", "AVG(" + m + ")", "avg"});
            benign.add(new String[] {"ROUND(AVG(" + m + "), 2)", "ROUND(AVG(" + m + "), 2)", "round avg"});
            benign.add(new String[] {"SUM(" + m + " * 2 + 1)", "SUM(" + m + " * 2 + 1)", "linear sum"});
            benign.add(new String[] {"SUM(" + m + ") / COUNT(*)", "SUM(" + m + ") / COUNT(*)", "ratio of aggregates"});
            if (cond != null) {
                benign.add(new String[] {"SUM(CASE WHEN " + cond + " THEN " + m + " ELSE 0 END)",
                        "SUM(CASE WHEN " + cond + " THEN " + m + " ELSE 0 END)", "case sum"});
            }
        }
        if (cond != null) {
            benign.add(new String[] {"AVG(CASE WHEN " + cond + " THEN 1.0 ELSE 0.0 END)",
                    "AVG(CASE WHEN " + cond + " THEN 1.0 ELSE 0.0 END)", "rate"});
            benign.add(new String[] {"COUNT(*) FILTER (WHERE " + cond + ")", null, "filter count"});
        }
        if (age != null) {
            benign.add(new String[] {"AVG(" + age + ")", null, "avg quasi-identifier"});
        }
        if (m != null) {
            // NULL on the unmatched side of an outer join: next to COUNT(*) it counts the rows without a match
            benign.add(new String[] {"COUNT(" + m + ")", "COUNT(" + m + ")", "count of nullable column"});
            String other = measure(s);
            if (!other.equals(m)) {
                benign.add(new String[] {"SUM(" + m + " + " + other + ")", "SUM(" + m + " + " + other + ")", "sum of two measures"});
            }
            if (s.from().equals("people")) {
                benign.add(new String[] {"SUM(" + m + ") / (SELECT SUM(income) FROM people)", null, "share of total"});
            }
        }
        if (chance(55)) {
            return pick(benign);
        }
        List<String[]> adversarial = new ArrayList<>();
        List<String> dims = new ArrayList<>();
        for (String d : List.of("district", "diagnosis", "hospital", "icd10", "test")) {
            if (s.column().apply(d) != null) {
                dims.add(s.column().apply(d));
            }
        }
        if (!dims.isEmpty()) {
            String d = pick(dims);
            adversarial.add(new String[] {pick(List.of("MIN", "MAX")) + "(" + d + ")", null, "extreme of dimension"});
            adversarial.add(new String[] {"COUNT(DISTINCT " + d + ")", null, "count distinct dimension"});
        }
        if (m != null) {
            int c = 20 + random.nextInt(60);
            if (age != null) {
                adversarial.add(new String[] {"SUM(" + m + " * FLOOR(1 / ((" + age + " - " + c + ") * (" + age + " - " + c
                        + ") + 1)))", null, "floor division indicator"});
                adversarial.add(new String[] {"SUM(" + m + " * (" + age + " - " + c + ") * (" + age + " - " + (c + 1) + "))",
                        null, "product of terms"});
                adversarial.add(new String[] {"SUM(CASE WHEN " + age + " = " + c + " THEN " + m + " ELSE 0 END)", null,
                        "case on exact quasi-identifier"});
            }
            adversarial.add(new String[] {"COUNT(CAST(" + m + " - " + (random.nextInt(50) * 1000) + " AS DECIMAL(3, 0)))",
                    null, "count of narrowing cast"});
            adversarial.add(new String[] {"SUM(ROUND(" + m + " / 100000))", null, "round division"});
            adversarial.add(new String[] {pick(List.of("MAX", "MIN")) + "(" + m + ")", null, "extreme of measure"});
            adversarial.add(new String[] {"SUM(CASE WHEN " + m + " > " + (random.nextInt(100) * 1000) + " THEN 1 ELSE 0 END)",
                    null, "case on measure"});
        }
        String name = s.column().apply("name");
        if (name != null) {
            adversarial.add(new String[] {"SUM(LENGTH(" + name + "))", null, "aggregate of identifier"});
            adversarial.add(new String[] {"COUNT(CASE WHEN " + name + " LIKE 'W%' THEN 1 END)", null, "like on identifier"});
        }
        if (pid != null) {
            adversarial.add(new String[] {"SUM(" + pid + " % 10)", null, "arithmetic on unit"});
        }
        String diagnosis = s.column().apply("diagnosis");
        if (diagnosis != null && age != null) {
            // a pattern Spark rejects, reached only by the rows of one cell
            adversarial.add(new String[] {"COUNT(*) FILTER (WHERE " + age + " >= 90 AND " + diagnosis + " LIKE '"
                    + pick(List.of("a#", "a#b", "r#%")) + "' ESCAPE '#')", null, "like pattern in a cell"});
        }
        return adversarial.isEmpty() ? pick(benign) : pick(adversarial);
    }

    /** A WHERE conjunct: [spark, h2 or null, label]. */
    private String[] filter(Source s) {
        List<String[]> options = new ArrayList<>();
        String cond = dimensionCondition(s);
        if (cond != null) {
            options.add(new String[] {cond, cond, "dimension filter"});
        }
        String age = s.column().apply("age");
        if (age != null) {
            int lo = 20 + 10 * random.nextInt(6);
            options.add(new String[] {age + " >= " + lo, age + " >= " + lo, "aligned range"});
            options.add(new String[] {age + " BETWEEN " + lo + " AND " + (lo + 19), age + " BETWEEN " + lo + " AND " + (lo + 19),
                    "aligned between"});
            int c = 20 + random.nextInt(60);
            options.add(new String[] {age + pick(List.of(" >= ", " > ", " <= ")) + c, null, "one-sided range"});
        }
        String m = measure(s);
        if (m != null) {
            int c = random.nextInt(50) * 1000;
            options.add(new String[] {m + " > " + c, m + " > " + c, "measure filter"});
            if (m.endsWith("income")) {
                options.add(new String[] {m + " > (SELECT AVG(income) FROM people)", null, "scalar sub-query filter"});
            }
        }
        if (cond != null && age != null) {
            options.add(new String[] {"(" + cond + " OR " + age + " = " + (20 + random.nextInt(60)) + ")", null, "or filter"});
        }
        String name = s.column().apply("name");
        if (name != null && chance(40)) {
            options.add(new String[] {pick(List.of(name + " LIKE 'W%'", s.column().apply("phone") + " LIKE '1380%'",
                    s.column().apply("pid") + " = 1010", s.column().apply("pid") + " IN (1001, 1002)")), null,
                    "identifier filter"});
        }
        if (s.column().apply("diagnosis") != null && chance(30)) {
            options.add(new String[] {s.column().apply("diagnosis") + " LIKE '" + pick(List.of("f%", "r_re", "a#%", "a#", "a#b"))
                    + "' ESCAPE '#'", null, "literal like pattern"});
        }
        if (s.column().apply("birth_date") != null) {
            options.add(new String[] {s.column().apply("birth_date") + " >= DATE '1970-01-01'", null, "date filter"});
        }
        return pick(options);
    }

    private FuzzQuery block() {
        Source s = source();
        List<String> shape = new ArrayList<>();
        shape.add("from " + s.name());
        boolean h2 = s.h2();
        int keyCount = random.nextInt(3);
        List<String> sparkKeys = new ArrayList<>();
        List<String> h2Keys = new ArrayList<>();
        for (int i = 0; i < keyCount; i++) {
            String[] key = key(s);
            if (sparkKeys.contains(key[0])) {
                continue;
            }
            sparkKeys.add(key[0]);
            h2Keys.add(key[1]);
            h2 &= key[1] != null;
            shape.add("key " + key[2]);
        }
        List<String> sparkSelect = new ArrayList<>();
        List<String> h2Select = new ArrayList<>();
        for (int i = 0; i < sparkKeys.size(); i++) {
            sparkSelect.add(sparkKeys.get(i) + " AS k" + i);
            h2Select.add(h2Keys.get(i) + " AS k" + i);
        }
        int aggregates = 1 + random.nextInt(3);
        for (int i = 0; i < aggregates; i++) {
            String[] agg = aggregate(s);
            sparkSelect.add(agg[0] + " AS a" + i);
            h2Select.add(agg[1] + " AS a" + i);
            h2 &= agg[1] != null;
            shape.add("agg " + agg[2]);
        }
        List<String> sparkWhere = new ArrayList<>();
        List<String> h2Where = new ArrayList<>();
        int filters = random.nextInt(3);
        for (int i = 0; i < filters; i++) {
            String[] f = filter(s);
            sparkWhere.add(f[0]);
            h2Where.add(f[1]);
            h2 &= f[1] != null;
            shape.add("where " + f[2]);
        }
        String having = "";
        if (chance(10)) {
            having = " HAVING COUNT(*) > 2";
            shape.add("having");
            h2 = false;
        }
        String tail = (sparkWhere.isEmpty() ? "" : " WHERE " + String.join(" AND ", sparkWhere))
                + (sparkKeys.isEmpty() ? "" : " GROUP BY " + String.join(", ", sparkKeys)) + having;
        String sql = s.prefix() + "SELECT " + String.join(", ", sparkSelect) + " FROM " + s.from() + tail;
        String h2Sql = null;
        if (h2) {
            h2Sql = "SELECT " + String.join(", ", h2Select) + " FROM " + s.from()
                    + (h2Where.isEmpty() ? "" : " WHERE " + String.join(" AND ", h2Where))
                    + (h2Keys.isEmpty() ? "" : " GROUP BY " + String.join(", ", h2Keys));
        }
        if (!h2 && chance(15)) {
            // a nested projection above the block
            sql = "SELECT * FROM (" + sql + ") q";
            shape.add("nested projection");
        }
        return new FuzzQuery(sql, sparkKeys.size(), String.join(", ", shape), h2Sql, h2 ? s.column().apply("pid") : null,
                h2Keys);
    }

    private FuzzQuery marginals() {
        if (chance(40)) {
            // one marginal per disjoint part of the rows (or, adversarially, overlapping parts)
            String key = pick(List.of("district", "diagnosis", "gender"));
            String agg = pick(List.of("COUNT(*)", "SUM(income)", "AVG(income)"));
            int c = 20 + 10 * random.nextInt(5);
            String[] parts = chance(70) ? new String[] {"age < " + c, "age >= " + c}
                    : new String[] {"age < " + (c + 10), "age >= " + c};
            return new FuzzQuery("SELECT 'a' AS part, " + key + " AS v, " + agg + " AS n FROM people WHERE " + parts[0]
                    + " GROUP BY " + key + " UNION ALL SELECT 'b' AS part, " + key + " AS v, " + agg + " AS n FROM people WHERE "
                    + parts[1] + " GROUP BY " + key, 2, "marginals of disjoint parts", null, null, List.of());
        }
        String a = pick(List.of("gender", "district", "diagnosis"));
        String b = pick(List.of("gender", "district", "diagnosis"));
        String agg = pick(List.of("COUNT(*)", "SUM(income)", "AVG(income)"));
        return new FuzzQuery("SELECT '" + a + "' AS dim, " + a + " AS v, " + agg + " AS n FROM people GROUP BY " + a
                + " UNION ALL SELECT '" + b + "' AS dim, " + b + " AS v, " + agg + " AS n FROM people GROUP BY " + b,
                2, "two marginals union all", null, null, List.of());
    }

    /**
     * Aggregates of two columns that are NULL on different rows of one group (the unmatched sides of two
     * outer joins, or UNION ALL branches that fill one column each): each value needs k people among the
     * rows where its own argument is non-NULL, whatever the other's rows are.
     */
    private FuzzQuery nullCells() {
        String[] aggs = {"COUNT", "SUM", "AVG"};
        String f = pick(List.of(aggs));
        String g = pick(List.of(aggs));
        String extra = chance(40) ? ", COUNT(*) AS a2" : "";
        if (chance(40)) {
            return new FuzzQuery("SELECT p.district AS k0, " + f + "(v.cost) AS a0, " + g + "(l.result) AS a1" + extra
                    + " FROM people p LEFT JOIN visits v ON p.pid = v.pid LEFT JOIN labs l ON p.pid = l.pid GROUP BY p.district",
                    1, "null cells of two outer joins", null, null, List.of());
        }
        String first = pick(List.of("diagnosis <> 'rare'", "gender = 'F'", "age >= " + (20 + random.nextInt(60)), "income > 0"));
        String second = pick(List.of("diagnosis <> 'rare'", "gender = 'M'", "age < " + (20 + random.nextInt(60)), "income < 50000"));
        String key = pick(List.of("district", "gender"));
        return new FuzzQuery("SELECT " + key + " AS k0, " + f + "(x) AS a0, " + g + "(y) AS a1" + extra + " FROM (SELECT pid, "
                + key + ", income AS x, CAST(NULL AS DOUBLE) AS y FROM people WHERE " + first + " UNION ALL SELECT pid, " + key
                + ", CAST(NULL AS DOUBLE), income FROM people WHERE " + second + ") t GROUP BY " + key, 1,
                "null cells of two union branches", null, null, List.of());
    }

    /** Several aggregates of one table in one query: side by side, as a share, or combined otherwise. */
    private FuzzQuery combined() {
        String key = pick(List.of("gender", "district", "diagnosis"));
        String[] agg = pick(List.of(new String[] {"COUNT(*)", "COUNT(*)"}, new String[] {"SUM(income)", "SUM(income)"},
                new String[] {"AVG(income)", "AVG(income)"}, new String[] {"COUNT(DISTINCT pid)", "COUNT(DISTINCT pid)"}));
        String[] other = pick(List.of(new String[] {"COUNT(*)", "COUNT(*)"}, new String[] {"SUM(income)", "SUM(income)"}));
        String where = chance(50) ? "" : " WHERE " + pick(List.of("gender = 'F'", "age >= " + (20 + 10 * random.nextInt(5)),
                "income > " + random.nextInt(50) * 1000));
        String totalWhere = chance(60) ? "" : " WHERE " + pick(List.of("gender = 'F'", "age >= 40", "diagnosis <> 'flu'"));
        String total = "(SELECT " + other[0] + " FROM people" + totalWhere + ")";
        String h2Total = "(SELECT " + other[1] + " FROM people" + totalWhere + ")";
        String marginal = "SELECT " + key + " AS k0, " + agg[0] + " AS n FROM people" + where + " GROUP BY " + key;
        String h2Marginal = "SELECT " + key + " AS k0, " + agg[1] + " AS n FROM people" + where + " GROUP BY " + key;
        String otherKey = pick(List.of("gender", "district", "diagnosis"));
        String joined = "SELECT " + otherKey + " AS k0, " + other[0] + " AS n FROM people" + totalWhere + " GROUP BY " + otherKey;
        String h2Joined = "SELECT " + otherKey + " AS k0, " + other[1] + " AS n FROM people" + totalWhere + " GROUP BY " + otherKey;
        switch (random.nextInt(chance(60) ? 4 : 9)) {
            case 0:
                return combined(marginal + " UNION ALL SELECT 'ALL', " + agg[0] + " FROM people" + totalWhere,
                        h2Marginal + " UNION ALL SELECT 'ALL', " + agg[1] + " FROM people" + totalWhere, 1, "marginal and total union all");
            case 1:
                return combined("SELECT " + key + " AS k0, CAST(" + agg[0] + " AS DOUBLE) / " + total + " AS a0 FROM people"
                                + where + " GROUP BY " + key,
                        "SELECT " + key + " AS k0, CAST(" + agg[1] + " AS DOUBLE PRECISION) / " + h2Total + " AS a0 FROM people"
                                + where + " GROUP BY " + key, 1, "share of a scalar total");
            case 2: {
                String join = pick(List.of("JOIN", "LEFT JOIN"));
                return combined("SELECT a.k0, a.n AS a0, b.n AS a1 FROM (" + marginal + ") a " + join + " (" + joined
                                + ") b ON a.k0 = b.k0",
                        "SELECT a.k0, a.n AS a0, b.n AS a1 FROM (" + h2Marginal + ") a " + join + " (" + h2Joined
                                + ") b ON a.k0 = b.k0", 1, "marginals joined");
            }
            case 3:
                return combined("SELECT a.k0, CAST(a.n AS DOUBLE) / b.n AS a0 FROM (" + marginal + ") a JOIN (" + joined
                                + ") b ON a.k0 = b.k0",
                        "SELECT a.k0, CAST(a.n AS DOUBLE PRECISION) / b.n AS a0 FROM (" + h2Marginal + ") a JOIN (" + h2Joined
                                + ") b ON a.k0 = b.k0", 1, "share of another marginal");
            case 4:
                return combined("SELECT " + key + " AS k0, " + total + " - " + agg[0] + " AS a0 FROM people" + where
                        + " GROUP BY " + key, null, 1, "total minus group");
            case 5:
                return combined("SELECT " + total + " - (SELECT SUM(n) FROM (" + marginal + ") t) AS a0", null, 0,
                        "total minus released groups");
            case 6:
                return combined("SELECT SUM(n) AS a0 FROM (" + marginal + " UNION ALL SELECT 'ALL', -" + agg[0]
                        + " FROM people" + totalWhere + ") t", null, 0, "sum over a union with the total");
            case 7:
                return combined("SELECT " + key + " AS k0, COUNT(*) AS a0 FROM people" + where + " GROUP BY " + key
                        + " HAVING " + agg[0] + " > " + total + " - " + (1 + random.nextInt(3)), null, 1,
                        "having compared with a total");
            default:
                return combined("SELECT 1 - SUM(s) AS a0 FROM (SELECT " + key + ", CAST(" + agg[0] + " AS DOUBLE) / " + total
                        + " AS s FROM people" + where + " GROUP BY " + key + ") t", null, 0, "sum of shares");
        }
    }

    private static FuzzQuery combined(String sql, String h2Sql, int keys, String shape) {
        return new FuzzQuery(sql, keys, "combined " + shape, h2Sql, null, keys == 1 ? List.of("k0") : List.of());
    }

    private FuzzQuery histogram() {
        int at = 1 + random.nextInt(3);
        if (chance(40)) {
            // per-person values that hide a cell or padding, summed over people
            String inner = pick(List.of(
                    "SELECT pid, COUNT(*) FILTER (WHERE icd10 = 'Z99') AS n FROM visits GROUP BY pid",
                    "SELECT pid, SUM(CASE WHEN icd10 = 'Z99' THEN cost ELSE 0 END) AS n FROM visits GROUP BY pid",
                    "SELECT p.pid, v.pid AS vp, COUNT(v.cost) AS n FROM people p LEFT JOIN visits v ON p.pid = v.pid GROUP BY p.pid, v.pid",
                    "SELECT pid, SUM(cost) AS n FROM visits GROUP BY pid",
                    "SELECT pid, hospital, COUNT(*) AS n FROM visits GROUP BY pid, hospital"));
            return new FuzzQuery("SELECT " + pick(List.of("SUM(n)", "AVG(n)", "COUNT(*)")) + " AS a0 FROM (" + inner + ") t"
                    + (chance(50) ? " WHERE n >= " + at : ""), 0, "aggregate of per-person values", null, null, List.of());
        }
        return chance(50)
                ? new FuzzQuery("SELECT n AS k0, COUNT(*) AS people FROM (SELECT pid, COUNT(*) AS n FROM visits GROUP BY pid) t GROUP BY n",
                1, "histogram of per-person counts", null, null, List.of())
                : new FuzzQuery("SELECT COUNT(*) AS people FROM (SELECT pid, COUNT(*) AS n FROM visits GROUP BY pid) t WHERE n >= " + at,
                0, "people with at least n visits", null, null, List.of());
    }
}
