package org.datasandbox.core.oracle;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A seeded, recursive grammar of Spark SQL over {@link OracleData}'s tables that knows no attack: it
 * composes relations (tables, joins of every kind, derived tables with their own filters, projections and
 * windows, per-person and per-dimension aggregations, UNION ALL / UNION / INTERSECT / EXCEPT, VALUES,
 * LATERAL sub-queries, CTEs) and expressions of three types (numbers, strings, dates: arithmetic, CASE,
 * COALESCE, NULLIF, casts, string and date functions, scalar sub-queries) under predicates (comparisons,
 * BETWEEN, IN lists and sub-queries, EXISTS, LIKE, IS NULL, NOT, AND, OR), then an aggregate block on top
 * (group keys, plain, distinct, conditional and combined aggregates, windows over the aggregated rows,
 * HAVING, ORDER BY, LIMIT / OFFSET, DISTINCT, top-level set operations) or, sometimes, row-level output.
 * Literals are drawn from each column's own domain (including its rare values), so that a generated filter
 * can single out a person as often as an analyst's could, but no choice is made because it is an attack.
 *
 * <p>Each query records which constructs it used (its shape) and whether H2 evaluates its text exactly like
 * Spark ({@code portable}; with its H2 text, the same query without LIMIT / OFFSET), for the exact-answer
 * comparison.
 */
final class GrammarSqlGenerator {
    enum Type { NUM, STR, DATE }

    /** A generated query: Spark text, leading key columns, constructs used, H2 text when portable. */
    record Query(String sql, int keys, String shape, String h2Sql) {
        boolean portable() {
            return h2Sql != null;
        }
    }

    /**
     * A column of a relation: how it is written, its type, the base column it is (null when computed), and
     * whether its value is computed from an aggregate (a value, not an identity: as a group key it does not
     * identify a row across neighbours, for every person moves it).
     */
    private record Col(String expr, Type type, String base, boolean aggregated) {
        Col(String expr, Type type, String base) {
            this(expr, type, base, false);
        }
    }

    /** A relation in FROM: its text, its columns, whether it carries a privacy unit column. */
    private record Rel(String from, List<Col> cols) {
        Col pid() {
            return cols.stream().filter(c -> "pid".equals(c.base())).findFirst().orElse(null);
        }
    }

    private static final String[][] PEOPLE = {{"pid", "NUM"}, {"name", "STR"}, {"phone", "STR"}, {"gender", "STR"},
        {"district", "STR"}, {"age", "NUM"}, {"birth_date", "DATE"}, {"income", "NUM"}, {"diagnosis", "STR"}};
    private static final String[][] VISITS = {{"visit_id", "STR"}, {"pid", "NUM"}, {"hospital", "STR"},
        {"visit_date", "DATE"}, {"icd10", "STR"}, {"cost", "NUM"}};
    private static final String[][] LABS = {{"pid", "NUM"}, {"test", "STR"}, {"result", "NUM"}, {"flag", "NUM"}};

    private final Random random;
    // per query state
    private final Set<String> shape = new LinkedHashSet<>();
    private final List<String> ctes = new ArrayList<>();
    private boolean portable;
    private int aliases;
    private int identifying;
    private boolean branchAggregated;

    GrammarSqlGenerator(long seed) {
        this.random = new Random(seed);
    }

    List<Query> generate(int count) {
        List<Query> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(query());
        }
        return out;
    }

    /**
     * A computation over an aggregate's rows: the whole query; the inner aggregate it reads, as a query of its own
     * (the cells, its first {@code cellKeys} columns the group key); and the outer computation written over those
     * cells as a relation named {@code t}. {@code ordered}: the outer fixes the order of its rows (ORDER BY), which
     * is then part of its output.
     */
    record Nested(String sql, String cells, String outer, int cellKeys, boolean ordered, String shape) {
    }

    /** Nested aggregates: outer GROUP BY, aggregates, ranks, filters, ORDER BY / LIMIT over an inner aggregate. */
    List<Nested> generateNested(int count) {
        List<Nested> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(nested());
        }
        return out;
    }

    /** Dimension-like keys and a measure per table: inner aggregates an analyst would write. */
    private static final String[][] INNER_GROUPS = {
        {"people", "gender", "income"}, {"people", "district", "income"}, {"people", "FLOOR(age / 10) * 10", "income"},
        {"visits", "hospital", "cost"}, {"visits", "icd10", "cost"}, {"labs", "test", "result"}, {"labs", "flag", "result"}};

    private Nested nested() {
        shape.clear();
        ctes.clear();
        portable = true;
        aliases = 0;
        String cells;
        String keyColumn = null; // a base column the inner groups by, for a join back to its table's rows
        String table = null;
        boolean second = false;
        if (random.nextInt(3) == 0) {
            shape.add("grammar inner");
            cells = block(1, true)[0]; // the grammar's own block: one string key k0 and one aggregate a0
            if (!ctes.isEmpty()) {
                cells = "WITH " + String.join(", ", ctes) + " " + cells;
            }
        } else {
            String[] g = INNER_GROUPS[random.nextInt(INNER_GROUPS.length)];
            table = g[0];
            keyColumn = g[1].contains("(") ? null : g[1];
            Rel rel = new Rel(table, List.of());
            String a0 = switch (random.nextInt(6)) {
                case 0, 1 -> "COUNT(*)";
                case 2 -> "COUNT(DISTINCT pid)";
                case 3 -> "SUM(" + g[2] + ")";
                case 4 -> "AVG(" + g[2] + ")";
                default -> "COUNT(*) FILTER (WHERE " + g[2] + " > " + (g[2].equals("result") ? 9 : 4500) + ")";
            };
            second = random.nextBoolean();
            String a1 = second ? ", " + (random.nextBoolean() ? "SUM(" + g[2] + ")" : "COUNT(*)") + " AS a1" : "";
            String where = random.nextInt(4) == 0 ? " WHERE " + g[2] + " >= " + random.nextInt(10) : "";
            cells = "SELECT " + g[1] + " AS k0, " + a0 + " AS a0" + a1 + " FROM " + rel.from() + where + " GROUP BY " + g[1];
        }
        String value = "a0";
        String outer;
        boolean ordered = false;
        int kind = random.nextInt(keyColumn != null ? 11 : 10);
        switch (kind) {
            case 0 -> {
                shape.add("group by an aggregate's value");
                outer = "SELECT " + value + " AS g, COUNT(*) AS c" + (second ? ", SUM(a1) AS s" : "") + " FROM t GROUP BY " + value;
            }
            case 1 -> {
                shape.add("group by an expression of an aggregate's value");
                String bucket = random.nextBoolean() ? "CASE WHEN " + value + " > " + random.nextInt(20) + " THEN 'high' ELSE 'low' END"
                        : "FLOOR(" + value + " / " + (2 + random.nextInt(5)) + ")";
                outer = "SELECT " + bucket + " AS g, COUNT(*) AS c, SUM(" + value + ") AS s FROM t GROUP BY " + bucket;
            }
            case 2 -> {
                shape.add("aggregates over aggregates");
                outer = "SELECT COUNT(*) AS c, SUM(" + value + ") AS s, AVG(" + value + ") AS v, MAX(" + value + ") AS m FROM t";
            }
            case 3 -> {
                shape.add("rank over aggregates");
                String rank = pick(List.of("RANK()", "DENSE_RANK()", "ROW_NUMBER()", "NTILE(2)", "PERCENT_RANK()", "CUME_DIST()"));
                outer = "SELECT k0, " + value + ", " + rank + " OVER (ORDER BY " + value + (random.nextBoolean() ? " DESC" : "")
                        + (random.nextBoolean() ? ", k0" : "") + ") AS r FROM t";
            }
            case 4, 5 -> {
                shape.add(kind == 4 ? "order by an aggregate's value" : "order by and limit over aggregates");
                ordered = true;
                outer = "SELECT k0, " + value + " FROM t ORDER BY " + value + (random.nextBoolean() ? " DESC" : "") + ", k0"
                        + (kind == 5 ? " LIMIT " + (1 + random.nextInt(3)) : "");
            }
            case 6 -> {
                shape.add("having over a grouping of aggregates");
                outer = "SELECT " + value + " AS g, COUNT(*) AS c FROM t GROUP BY " + value + " HAVING COUNT(*) >= 2";
            }
            case 7 -> {
                shape.add("distinct aggregate values");
                outer = "SELECT DISTINCT " + value + " AS g FROM t";
            }
            case 8 -> {
                shape.add("window partitioned by an aggregate's value");
                outer = "SELECT k0, " + value + ", COUNT(*) OVER (PARTITION BY " + value + ") AS ties FROM t";
            }
            case 9 -> {
                shape.add("filter on an aggregate's value");
                outer = "SELECT k0, " + value + " FROM t WHERE " + value + " > " + random.nextInt(20);
            }
            default -> {
                shape.add("aggregate's value over people's rows");
                outer = "SELECT t.a0 AS g, COUNT(*) AS c FROM " + table + " r JOIN t ON r." + keyColumn + " = t.k0 GROUP BY t.a0";
            }
        }
        String sql = outer.replace(" t ", " (" + cells + ") t ").replaceFirst(" t$", " (" + cells + ") t");
        return new Nested(sql, cells, outer, 1, ordered, String.join(", ", shape));
    }

    private Query query() {
        shape.clear();
        ctes.clear();
        portable = true;
        aliases = 0;
        int form = random.nextInt(20);
        String[] sql; // {spark, spark without limit}
        int keys;
        if (form == 0) {
            Rel rel = relation(random.nextInt(2));
            List<String> select = new ArrayList<>();
            for (int i = 0; i < 1 + random.nextInt(3); i++) {
                select.add(expr(rel, pickType(), 1) + " AS c" + i);
            }
            String where = random.nextBoolean() ? " WHERE " + predicate(rel, 1) : "";
            shape.add("row-level output");
            String base = "SELECT " + String.join(", ", select) + " FROM " + rel.from() + where;
            String limit = random.nextBoolean() ? " LIMIT " + (1 + random.nextInt(5)) : "";
            sql = new String[] {base + limit, base};
            keys = select.size();
        } else if (form == 1) {
            // one set operation of two aggregate blocks with the same columns
            String op = pick(List.of("UNION ALL", "UNION ALL", "UNION", "INTERSECT", "EXCEPT"));
            shape.add("top-level " + op.toLowerCase());
            if (!op.equals("UNION ALL")) {
                portable = false; // duplicates and NULL keys: compare only UNION ALL
            }
            String[] a = block(1, true);
            int identifyingA = identifying;
            String[] b = block(1, true);
            sql = new String[] {a[1] + " " + op + " " + b[1], a[1] + " " + op + " " + b[1]};
            keys = Math.min(identifyingA, identifying);
        } else {
            sql = block(random.nextInt(3), false);
            keys = identifying;
        }
        String with = ctes.isEmpty() ? "" : "WITH " + String.join(", ", ctes) + " ";
        String spark = with + sql[0];
        String h2 = portable ? with + sql[1] : null;
        return new Query(spark, keys, String.join(", ", shape), h2);
    }

    /**
     * An aggregate block: {spark text, text without LIMIT/OFFSET}. {@code fixed} makes the columns one string
     * key and one count (so that two blocks can be combined by a set operation).
     */
    private String[] block(int keys, boolean fixed) {
        Rel rel = relation(random.nextInt(3));
        List<String> keyExprs = new ArrayList<>();
        List<String> select = new ArrayList<>();
        List<String> valueKeys = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            String key = fixed ? exprOfType(rel, Type.STR, 0) : groupKey(rel);
            (usesAggregate(rel, key) ? valueKeys : keyExprs).add(key);
        }
        // keys computed from aggregates are values: they follow the identifying keys
        identifying = keyExprs.size();
        keyExprs.addAll(valueKeys);
        for (int i = 0; i < keyExprs.size(); i++) {
            select.add(keyExprs.get(i) + " AS k" + i);
        }
        List<String> aggs = new ArrayList<>();
        int count = fixed ? 1 : 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            String agg = fixed ? (random.nextBoolean() ? "COUNT(*)" : aggregate(rel)) : aggregateExpr(rel);
            aggs.add(agg);
            select.add(agg + " AS a" + i);
        }
        if (!fixed && random.nextInt(6) == 0) {
            select.add(window(keyExprs, aggs) + " AS w0");
        }
        if (!fixed && random.nextInt(10) == 0) {
            shape.add("scalar sub-query in select");
            select.add(scalarSubquery(1) + " AS s0");
        }
        String distinct = "";
        if (!fixed && aggs.size() == 1 && keys > 0 && random.nextInt(12) == 0) {
            // DISTINCT keys only: drop the aggregates
            shape.add("select distinct");
            select.subList(keys, select.size()).clear();
            distinct = "DISTINCT ";
        }
        StringBuilder sql = new StringBuilder("SELECT " + distinct + String.join(", ", select) + " FROM " + rel.from());
        List<String> where = new ArrayList<>();
        for (int i = 0; i < random.nextInt(3); i++) {
            where.add(predicate(rel, 2));
        }
        if (!where.isEmpty()) {
            sql.append(" WHERE ").append(String.join(" AND ", where));
        }
        if (!keyExprs.isEmpty()) {
            sql.append(" GROUP BY ").append(String.join(", ", keyExprs));
        }
        if (random.nextInt(6) == 0) {
            shape.add("having");
            sql.append(" HAVING ").append(random.nextBoolean() ? aggregate(rel) : aggs.get(0)).append(pick(List.of(" > ", " >= ", " < ", " = ")))
                    .append(random.nextInt(3) == 0 ? scalarSubquery(1) : String.valueOf(random.nextInt(20)));
        }
        if (!fixed && random.nextInt(4) == 0) {
            shape.add("order by");
            List<String> order = new ArrayList<>();
            if (keys > 0) {
                order.add("k0");
            }
            if (distinct.isEmpty()) {
                order.add(0, random.nextBoolean() ? aggs.get(0) : aggregate(rel));
            }
            List<String> directed = new ArrayList<>();
            for (String o : order) {
                directed.add(o + (random.nextBoolean() ? " DESC" : ""));
            }
            sql.append(" ORDER BY ").append(String.join(", ", directed));
        }
        String noLimit = sql.toString();
        if (!fixed && random.nextInt(5) == 0) {
            shape.add("limit");
            sql.append(" LIMIT ").append(1 + random.nextInt(3));
            if (random.nextBoolean()) {
                shape.add("offset");
                sql.append(" OFFSET ").append(random.nextInt(3));
            }
        }
        if (!fixed && random.nextInt(10) == 0) {
            shape.add("nested projection");
            return new String[] {"SELECT * FROM (" + sql + ") q", "SELECT * FROM (" + noLimit + ") q"};
        }
        return new String[] {sql.toString(), noLimit};
    }

    /** Whether a text computed over the relation reads an aggregate (a column made by one, or a sub-query). */
    private static boolean usesAggregate(Rel rel, String text) {
        return text.contains("(SELECT ") || rel.cols().stream().anyMatch(c -> c.aggregated() && text.contains(c.expr()));
    }

    private String window(List<String> keys, List<String> aggs) {
        String agg = aggs.get(0);
        String order = keys.isEmpty() ? agg : keys.get(0);
        int kind = random.nextInt(5);
        shape.add("window over aggregates");
        return switch (kind) {
            case 0 -> "RANK() OVER (ORDER BY " + agg + ")";
            case 1 -> "SUM(" + agg + ") OVER ()";
            case 2 -> "LAG(" + agg + ") OVER (ORDER BY " + order + ")";
            case 3 -> "ROW_NUMBER() OVER (ORDER BY " + order + ")";
            default -> "AVG(" + agg + ") OVER (ORDER BY " + order + " ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING)";
        };
    }

    private String groupKey(Rel rel) {
        int kind = random.nextInt(6);
        if (kind == 0) {
            shape.add("computed key");
            return expr(rel, pickType(), 1);
        }
        if (kind == 1) {
            Col age = find(rel, c -> "age".equals(c.base()));
            if (age != null) {
                shape.add("bucket key");
                portable = false;
                return "FLOOR(" + age.expr() + " / 10) * 10";
            }
        }
        return column(rel, pickType(), 0).expr();
    }

    /** A plain aggregate over the relation's rows. */
    private String aggregate(Rel rel) {
        int kind = random.nextInt(12);
        String filter = "";
        if (random.nextInt(6) == 0) {
            shape.add("aggregate filter");
            filter = " FILTER (WHERE " + predicate(rel, 1) + ")";
        }
        switch (kind) {
            case 0, 1:
                shape.add("count");
                return "COUNT(*)" + filter;
            case 2:
                shape.add("count of expression");
                return "COUNT(" + expr(rel, pickType(), 1) + ")" + filter;
            case 3:
                shape.add("count distinct");
                return "COUNT(DISTINCT " + column(rel, pickType(), 0).expr() + ")" + filter;
            case 4, 5:
                shape.add("sum");
                return "SUM(" + exprOfType(rel, Type.NUM, 1) + ")" + filter;
            case 6:
                shape.add("avg");
                return "AVG(CAST(" + exprOfType(rel, Type.NUM, 1) + " AS DOUBLE))" + filter;
            case 7:
                shape.add("min or max");
                return pick(List.of("MIN", "MAX")) + "(" + expr(rel, pickType(), 0) + ")" + filter;
            case 8:
                shape.add("conditional sum");
                return "SUM(CASE WHEN " + predicate(rel, 1) + " THEN " + exprOfType(rel, Type.NUM, 0) + " ELSE 0 END)";
            case 9:
                shape.add("count_if");
                portable = false;
                return "count_if(" + predicate(rel, 1) + ")";
            case 10:
                shape.add("statistical aggregate");
                portable = false;
                return pick(List.of("STDDEV", "VARIANCE", "PERCENTILE_APPROX")) + "(" + exprOfType(rel, Type.NUM, 0)
                        + (random.nextBoolean() ? "" : ", 0.5") + ")";
            default:
                shape.add("collection aggregate");
                portable = false;
                return pick(List.of("COLLECT_LIST", "COLLECT_SET", "FIRST", "ANY_VALUE")) + "(" + expr(rel, pickType(), 0) + ")";
        }
    }

    /** An aggregate, or aggregates combined by arithmetic, casts and CASE above the aggregation. */
    private String aggregateExpr(Rel rel) {
        int kind = random.nextInt(10);
        switch (kind) {
            case 0:
                shape.add("ratio of aggregates");
                portable = false; // H2 fails on a zero divisor where Spark gives NULL
                return "CAST(" + aggregate(rel) + " AS DOUBLE) / " + aggregate(rel);
            case 1:
                shape.add("difference of aggregates");
                return aggregate(rel) + " - " + aggregate(rel);
            case 2:
                shape.add("case over aggregate");
                return "CASE WHEN " + aggregate(rel) + " > " + random.nextInt(20) + " THEN 1 ELSE 0 END";
            case 3:
                shape.add("cast of aggregate");
                portable = false;
                return "CAST(" + aggregate(rel) + " AS " + pick(List.of("INT", "STRING", "DECIMAL(10,1)")) + ")";
            default:
                return aggregate(rel);
        }
    }

    private String scalarSubquery(int depth) {
        Rel inner = table();
        String where = random.nextBoolean() ? " WHERE " + predicate(inner, depth) : "";
        return "(SELECT " + aggregate(inner) + " FROM " + inner.from() + where + ")";
    }

    // ---- relations

    private Rel relation(int depth) {
        int kind = depth == 0 ? 0 : random.nextInt(9);
        return switch (kind) {
            case 1, 2 -> join(depth);
            case 3 -> derived(depth);
            case 4 -> perGroup(depth);
            case 5 -> setOperation(depth);
            case 6 -> cte(depth);
            case 7 -> random.nextBoolean() ? values() : lateral(depth);
            default -> table();
        };
    }

    private String alias() {
        return "r" + aliases++;
    }

    private Rel table() {
        int t = random.nextInt(5);
        String[][] cols = t < 2 ? PEOPLE : t < 4 ? VISITS : LABS;
        String name = t < 2 ? "people" : t < 4 ? "visits" : "labs";
        String alias = alias();
        List<Col> out = new ArrayList<>();
        for (String[] c : cols) {
            out.add(new Col(alias + "." + c[0], Type.valueOf(c[1]), c[0]));
        }
        return new Rel(name + " " + alias, out);
    }

    private Rel join(int depth) {
        Rel left = relation(depth - 1);
        Rel right = random.nextBoolean() ? table() : derived(depth - 1);
        String kind = pick(List.of("JOIN", "JOIN", "LEFT JOIN", "RIGHT JOIN", "FULL JOIN", "CROSS JOIN", "LEFT SEMI JOIN",
                "LEFT ANTI JOIN"));
        shape.add(kind.toLowerCase());
        if (!kind.equals("JOIN") && !kind.equals("LEFT JOIN") && !kind.equals("RIGHT JOIN")) {
            portable = false;
        }
        List<Col> cols = new ArrayList<>(left.cols());
        if (!kind.contains("SEMI") && !kind.contains("ANTI")) {
            cols.addAll(right.cols());
        }
        if (kind.equals("CROSS JOIN")) {
            return new Rel(left.from() + " CROSS JOIN " + right.from(), cols);
        }
        String on;
        Col lp = left.pid();
        Col rp = right.pid();
        if (lp != null && rp != null && random.nextInt(4) != 0) {
            on = lp.expr() + " = " + rp.expr();
        } else {
            shape.add("join on other columns");
            Type type = pickType();
            on = column(left, type, 0).expr() + " = " + column(right, type, 0).expr();
        }
        if (random.nextInt(4) == 0) {
            shape.add("join condition with a filter");
            on += " AND " + predicate(random.nextBoolean() ? left : right, 1);
        }
        return new Rel(left.from() + " " + kind + " " + right.from() + " ON " + on, cols);
    }

    /** A derived table: a projection of computed columns (and sometimes a window over rows) with a filter. */
    private Rel derived(int depth) {
        Rel inner = relation(Math.max(0, depth - 1));
        String alias = alias();
        List<String> select = new ArrayList<>();
        List<Col> cols = new ArrayList<>();
        Col pid = inner.pid();
        if (pid != null && random.nextInt(5) != 0) {
            select.add(pid.expr() + " AS pid");
            cols.add(new Col(alias + ".pid", Type.NUM, "pid"));
        }
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n; i++) {
            String name = "c" + i;
            if (random.nextBoolean()) {
                Col c = inner.cols().get(random.nextInt(inner.cols().size()));
                if ("pid".equals(c.base())) {
                    continue;
                }
                select.add(c.expr() + " AS " + c.base());
                cols.add(new Col(alias + "." + c.base(), c.type(), c.base(), c.aggregated()));
                continue;
            }
            Type type = pickType();
            String e = expr(inner, type, 2);
            select.add(e + " AS " + name);
            cols.add(new Col(alias + "." + name, type, null, usesAggregate(inner, e)));
        }
        if (random.nextInt(8) == 0) {
            shape.add("window over rows");
            Col part = column(inner, Type.STR, 0);
            Col order = column(inner, Type.NUM, 0);
            select.add(pick(List.of("ROW_NUMBER()", "RANK()", "COUNT(*)")) + " OVER (PARTITION BY " + part.expr() + " ORDER BY "
                    + order.expr() + ") AS wn");
            cols.add(new Col(alias + ".wn", Type.NUM, null, true));
        }
        String where = random.nextBoolean() ? " WHERE " + predicate(inner, 2) : "";
        shape.add("derived table");
        return new Rel("(SELECT " + String.join(", ", dedupe(select)) + " FROM " + inner.from() + where + ") " + alias,
                dedupeCols(cols));
    }

    /** An aggregation below the top: per person (the unit carried up) or per value of a column. */
    private Rel perGroup(int depth) {
        Rel inner = relation(depth - 1);
        String alias = alias();
        Col pid = inner.pid();
        Col key = pid != null && random.nextBoolean() ? pid : column(inner, Type.STR, 0);
        shape.add(key == pid ? "per-person aggregate below" : "per-group aggregate below");
        String agg = aggregate(inner);
        String where = random.nextInt(3) == 0 ? " WHERE " + predicate(inner, 1) : "";
        String having = random.nextInt(4) == 0 ? " HAVING COUNT(*) > " + random.nextInt(3) : "";
        String keyName = key == pid ? "pid" : "g";
        return new Rel("(SELECT " + key.expr() + " AS " + keyName + ", " + agg + " AS n FROM " + inner.from() + where
                + " GROUP BY " + key.expr() + having + ") " + alias,
                List.of(new Col(alias + "." + keyName, key.type(), key == pid ? "pid" : null), new Col(alias + ".n", Type.NUM, null, true)));
    }

    private Rel setOperation(int depth) {
        String op = pick(List.of("UNION ALL", "UNION ALL", "UNION", "INTERSECT", "EXCEPT"));
        shape.add("set operation " + op.toLowerCase());
        if (!op.equals("UNION ALL")) {
            portable = false;
        }
        List<Type> types = new ArrayList<>();
        for (int i = 0; i < 1 + random.nextInt(3); i++) {
            types.add(pickType());
        }
        boolean outer = branchAggregated;
        branchAggregated = false;
        String a = branch(depth, types);
        boolean aggregated = branchAggregated;
        String b = random.nextInt(4) == 0 ? literalBranch(types) : branch(depth, types);
        aggregated |= branchAggregated;
        branchAggregated = outer;
        String alias = alias();
        List<Col> cols = new ArrayList<>();
        cols.add(new Col(alias + ".pid", Type.NUM, "pid"));
        for (int i = 0; i < types.size(); i++) {
            cols.add(new Col(alias + ".c" + i, types.get(i), null, aggregated));
        }
        return new Rel("(" + a + " " + op + " " + b + ") " + alias, cols);
    }

    private String branch(int depth, List<Type> types) {
        Rel inner = relation(Math.max(0, depth - 1));
        Col pid = inner.pid();
        List<String> select = new ArrayList<>();
        select.add((pid == null ? "CAST(NULL AS BIGINT)" : "CAST(" + pid.expr() + " AS BIGINT)") + " AS pid");
        for (int i = 0; i < types.size(); i++) {
            select.add(exprOfType(inner, types.get(i), 1) + " AS c" + i);
        }
        String where = random.nextBoolean() ? " WHERE " + predicate(inner, 1) : "";
        branchAggregated |= usesAggregate(inner, String.join(", ", select));
        return "SELECT " + String.join(", ", select) + " FROM " + inner.from() + where;
    }

    private String literalBranch(List<Type> types) {
        shape.add("literal branch");
        List<String> select = new ArrayList<>();
        select.add("CAST(0 AS BIGINT) AS pid");
        for (int i = 0; i < types.size(); i++) {
            select.add(literal(types.get(i), null) + " AS c" + i);
        }
        return "SELECT " + String.join(", ", select);
    }

    private Rel cte(int depth) {
        Rel inner = derived(depth);
        String name = "q" + ctes.size();
        // the derived table's text is "(SELECT ...) alias": the CTE body is its SELECT
        String from = inner.from();
        int cut = from.lastIndexOf(") ");
        String alias = from.substring(cut + 2);
        ctes.add(name + " AS " + from.substring(0, cut + 1));
        shape.add("cte");
        return new Rel(name + " " + alias, inner.cols());
    }

    private Rel values() {
        shape.add("values");
        portable = false;
        String alias = alias();
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 1 + random.nextInt(3); i++) {
            rows.add("(" + literal(Type.STR, "district") + ", " + random.nextInt(100) + ")");
        }
        Rel values = new Rel("(VALUES " + String.join(", ", rows) + ") AS " + alias + "(district, x)",
                List.of(new Col(alias + ".district", Type.STR, "district"), new Col(alias + ".x", Type.NUM, null)));
        if (random.nextBoolean()) {
            return values;
        }
        Rel people = table();
        Col district = find(people, c -> "district".equals(c.base()) || "hospital".equals(c.base()));
        List<Col> cols = new ArrayList<>(people.cols());
        cols.addAll(values.cols());
        String on = district == null ? "TRUE" : district.expr() + " = " + alias + ".district";
        return new Rel(people.from() + " JOIN " + values.from() + " ON " + on, cols);
    }

    private Rel lateral(int depth) {
        shape.add("lateral");
        portable = false;
        Rel outer = relation(depth - 1);
        Rel inner = table();
        String alias = alias();
        Col op = outer.pid();
        Col ip = inner.pid();
        String correlation = op != null && ip != null ? " WHERE " + ip.expr() + " = " + op.expr() : "";
        List<Col> cols = new ArrayList<>(outer.cols());
        cols.add(new Col(alias + ".m", Type.NUM, null, true));
        return new Rel(outer.from() + ", LATERAL (SELECT " + aggregate(inner) + " AS m FROM " + inner.from() + correlation + ") "
                + alias, cols);
    }

    // ---- expressions

    private Type pickType() {
        int t = random.nextInt(10);
        return t < 5 ? Type.NUM : t < 8 ? Type.STR : Type.DATE;
    }

    private Col find(Rel rel, Predicate<Col> p) {
        List<Col> matches = rel.cols().stream().filter(p).toList();
        return matches.isEmpty() ? null : matches.get(random.nextInt(matches.size()));
    }

    /** A column of the type (a literal when there is none). */
    private Col column(Rel rel, Type type, int unused) {
        Col c = find(rel, x -> x.type() == type);
        return c != null ? c : new Col(literal(type, null), type, null);
    }

    private String exprOfType(Rel rel, Type type, int depth) {
        return expr(rel, type, depth);
    }

    private String expr(Rel rel, Type type, int depth) {
        if (depth <= 0 || random.nextInt(3) == 0) {
            return column(rel, type, 0).expr();
        }
        int kind = random.nextInt(10);
        if (kind == 0) {
            shape.add("case");
            return "CASE WHEN " + predicate(rel, depth - 1) + " THEN " + expr(rel, type, depth - 1) + " ELSE "
                    + (random.nextBoolean() ? "NULL" : expr(rel, type, depth - 1)) + " END";
        }
        if (kind == 1) {
            shape.add("coalesce");
            return "COALESCE(" + expr(rel, type, depth - 1) + ", " + literal(type, null) + ")";
        }
        return switch (type) {
            case NUM -> number(rel, depth);
            case STR -> string(rel, depth);
            case DATE -> date(rel, depth);
        };
    }

    private String number(Rel rel, int depth) {
        Col c = column(rel, Type.NUM, 0);
        String x = c.expr();
        int kind = random.nextInt(14);
        switch (kind) {
            case 0:
                shape.add("arithmetic");
                return "(" + x + " + " + expr(rel, Type.NUM, depth - 1) + ")";
            case 1:
                shape.add("arithmetic");
                return "(" + x + " * " + (2 + random.nextInt(5)) + ")";
            case 2:
                shape.add("division");
                portable = false;
                return "(" + x + " / " + pick(List.of("10", "3", "0", expr(rel, Type.NUM, 0))) + ")";
            case 3:
                shape.add("product of columns");
                return "(" + x + " * " + expr(rel, Type.NUM, depth - 1) + ")";
            case 4:
                shape.add("math function");
                portable = false;
                return pick(List.of("ABS", "FLOOR", "CEIL", "SIGN", "SQRT", "LN")) + "(" + x + ")";
            case 5:
                shape.add("round");
                portable = false;
                return "ROUND(" + x + ", " + (random.nextInt(3) - 1) + ")";
            case 6:
                shape.add("cast");
                boolean exact = random.nextBoolean();
                portable &= exact;
                return "CAST(" + x + " AS " + (exact ? "DOUBLE" : pick(List.of("INT", "SMALLINT", "FLOAT", "DECIMAL(6,1)"))) + ")";
            case 7:
                shape.add("string length");
                return "LENGTH(" + expr(rel, Type.STR, depth - 1) + ")";
            case 8:
                shape.add("date part");
                return pick(List.of("YEAR", "MONTH")) + "(" + expr(rel, Type.DATE, depth - 1) + ")";
            case 9:
                shape.add("date difference");
                portable = false;
                return "DATEDIFF(" + expr(rel, Type.DATE, depth - 1) + ", DATE '2025-01-01')";
            case 10:
                shape.add("scalar sub-query");
                return scalarSubquery(depth - 1);
            case 11:
                shape.add("nullif");
                return "NULLIF(" + x + ", " + literal(Type.NUM, c.base()) + ")";
            case 12:
                shape.add("modulo");
                portable = false;
                return "(" + x + " % " + (2 + random.nextInt(9)) + ")";
            default:
                shape.add("greatest");
                portable = false;
                return pick(List.of("GREATEST", "LEAST")) + "(" + x + ", " + expr(rel, Type.NUM, depth - 1) + ")";
        }
    }

    private String string(Rel rel, int depth) {
        Col c = column(rel, Type.STR, 0);
        String s = c.expr();
        int kind = random.nextInt(8);
        switch (kind) {
            case 0:
                shape.add("upper or lower");
                return pick(List.of("UPPER", "LOWER")) + "(" + s + ")";
            case 1:
                shape.add("substring");
                return "SUBSTRING(" + s + ", 1, " + (1 + random.nextInt(4)) + ")";
            case 2:
                shape.add("concat");
                portable = false;
                return "CONCAT(" + s + ", " + expr(rel, Type.STR, depth - 1) + ")";
            case 3:
                shape.add("trim or replace");
                return random.nextBoolean() ? "TRIM(" + s + ")" : "REPLACE(" + s + ", 'a', 'b')";
            case 4:
                shape.add("cast to string");
                portable = false;
                return "CAST(" + expr(rel, pickType() == Type.DATE ? Type.DATE : Type.NUM, depth - 1) + " AS STRING)";
            case 5:
                shape.add("date format");
                portable = false;
                return "DATE_FORMAT(" + expr(rel, Type.DATE, depth - 1) + ", '" + pick(List.of("yyyy-MM", "yyyy", "MM-dd")) + "')";
            case 6:
                shape.add("pad or repeat");
                portable = false;
                return pick(List.of("LPAD(" + s + ", 8, '*')", "REPEAT(" + s + ", 2)", "REVERSE(" + s + ")"));
            default:
                return s;
        }
    }

    private String date(Rel rel, int depth) {
        String d = column(rel, Type.DATE, 0).expr();
        int kind = random.nextInt(4);
        portable = false;
        switch (kind) {
            case 0:
                shape.add("date arithmetic");
                return "DATE_ADD(" + d + ", " + random.nextInt(400) + ")";
            case 1:
                shape.add("date truncation");
                return "TRUNC(" + d + ", '" + pick(List.of("MM", "YEAR", "QUARTER")) + "')";
            case 2:
                shape.add("cast to date");
                return "CAST(" + expr(rel, Type.STR, depth - 1) + " AS DATE)";
            default:
                shape.add("last day");
                return "LAST_DAY(" + d + ")";
        }
    }

    private String predicate(Rel rel, int depth) {
        int kind = random.nextInt(depth <= 0 ? 7 : 12);
        Type type = pickType();
        Col c = column(rel, type, 0);
        switch (kind) {
            case 0, 1, 2:
                shape.add("comparison");
                return expr(rel, type, depth) + pick(List.of(" = ", " <> ", " < ", " >= ", " > ")) + literal(type, c.base());
            case 3:
                shape.add("between");
                String lo = literal(type, c.base());
                return c.expr() + " BETWEEN " + lo + " AND " + literal(type, c.base());
            case 4:
                shape.add("in list");
                return c.expr() + " IN (" + literal(type, c.base()) + ", " + literal(type, c.base()) + ")";
            case 5:
                shape.add("is null");
                return expr(rel, type, depth) + (random.nextBoolean() ? " IS NULL" : " IS NOT NULL");
            case 6: {
                shape.add("like");
                Col s = column(rel, Type.STR, 0);
                return s.expr() + " LIKE '" + pick(List.of("a%", "%e%", "r_re", "Z%", "_", "W%", "%9")) + "'";
            }
            case 7:
                shape.add("not");
                return "NOT (" + predicate(rel, depth - 1) + ")";
            case 8:
                shape.add("and or");
                return "(" + predicate(rel, depth - 1) + pick(List.of(" AND ", " OR ")) + predicate(rel, depth - 1) + ")";
            case 9: {
                shape.add("in sub-query");
                Rel inner = table();
                Col ic = column(inner, type, 0);
                String where = random.nextBoolean() ? " WHERE " + predicate(inner, depth - 1) : "";
                return c.expr() + (random.nextBoolean() ? " IN " : " NOT IN ") + "(SELECT " + ic.expr() + " FROM " + inner.from()
                        + where + ")";
            }
            case 10: {
                shape.add("exists");
                Rel inner = table();
                Col ip = inner.pid();
                Col op = rel.pid();
                String corr = ip != null && op != null ? ip.expr() + " = " + op.expr() + " AND " : "";
                return (random.nextBoolean() ? "" : "NOT ") + "EXISTS (SELECT 1 FROM " + inner.from() + " WHERE " + corr
                        + predicate(inner, depth - 1) + ")";
            }
            default:
                shape.add("compared with a scalar sub-query");
                Col n = column(rel, Type.NUM, 0);
                return n.expr() + pick(List.of(" > ", " < ")) + scalarSubquery(depth - 1);
        }
    }

    /** A literal of the type, from the base column's own domain when known (rare values included). */
    private String literal(Type type, String base) {
        if (type == Type.DATE) {
            return "DATE '" + (base != null && base.equals("visit_date") ? "2025-" : 1940 + random.nextInt(70) + "-")
                    + String.format("%02d-%02d", 1 + random.nextInt(12), 1 + random.nextInt(28)) + "'";
        }
        if (type == Type.STR) {
            List<String> domain = base == null ? List.of("north", "F", "flu", "x", "")
                    : switch (base) {
                        case "district" -> OracleData.DISTRICTS;
                        case "diagnosis" -> OracleData.DIAGNOSES;
                        case "hospital" -> OracleData.HOSPITALS;
                        case "icd10" -> List.of("J10", "E11", "J45", "I10", "Z99");
                        case "test" -> List.of("glucose", "iron", "lipids", "zinc");
                        case "gender" -> List.of("F", "M");
                        case "name" -> List.of("Wang A0", "Li B1");
                        default -> List.of("north", "F", "flu");
                    };
            return "'" + pick(domain) + "'";
        }
        if (base == null) {
            return String.valueOf(random.nextInt(100));
        }
        return switch (base) {
            case "age" -> String.valueOf(18 + random.nextInt(72));
            case "income" -> String.valueOf(1000 * random.nextInt(100));
            case "cost" -> String.valueOf(50 + random.nextInt(4950));
            case "result" -> String.valueOf(random.nextInt(10));
            case "pid" -> String.valueOf(1000 + random.nextInt(40));
            case "flag" -> String.valueOf(random.nextInt(3));
            default -> String.valueOf(random.nextInt(100));
        };
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static List<String> dedupe(List<String> select) {
        List<String> out = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (String s : select) {
            String name = s.substring(s.lastIndexOf(" AS ") + 4);
            if (names.add(name)) {
                out.add(s);
            }
        }
        return out;
    }

    private static List<Col> dedupeCols(List<Col> cols) {
        List<Col> out = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (Col c : cols) {
            if (names.add(c.expr())) {
                out.add(c);
            }
        }
        return out;
    }
}
