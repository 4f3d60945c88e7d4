package org.datasandbox.core.oracle;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded generator of the aggregate queries DP mode releases, over {@link OracleData}'s tables: a source (one
 * table, a join on the person, a join of two event tables that multiplies rows, a LEFT JOIN), an optional
 * filter, zero to two group keys and one to three aggregates (counts, distinct people, sums of measures and
 * of linear combinations, averages, MIN, MAX, medians, filtered sums). Each query comes with, per released aggregate,
 * the exact aggregates an independent database computes for its partials.
 */
final class DpQueryGenerator {

    /** A generated query: its Spark text, group keys, the unit column, and per aggregate its exact H2 forms. */
    record DpCase(String sql, List<String> keys, String unit, String from, String where, List<List<String>> exact) {

        /** The exact query for H2: the keys, then each aggregate's exact forms. */
        String h2Sql() {
            List<String> select = new ArrayList<>(keys);
            exact.forEach(select::addAll);
            return "SELECT " + String.join(", ", select) + " FROM " + from + where
                    + (keys.isEmpty() ? "" : " GROUP BY " + String.join(", ", keys));
        }
    }

    private record Source(String from, List<String> dims, List<String> measures, String unit, List<String> filters) {
    }

    private static final List<Source> SOURCES = List.of(
            new Source("people p", List.of("p.gender", "p.district"), List.of("p.income", "p.age"), "p.pid",
                    List.of("p.age >= 40", "p.gender = 'F'", "p.district IN ('north', 'east')")),
            new Source("visits v", List.of("v.hospital", "v.icd10"), List.of("v.cost"), "v.pid",
                    List.of("v.cost > 1000", "v.hospital = 'central'")),
            new Source("labs l", List.of("l.test", "l.flag"), List.of("l.result"), "l.pid",
                    List.of("l.flag = 1", "l.result < 5")),
            new Source("people p JOIN visits v ON p.pid = v.pid", List.of("p.gender", "p.district", "v.hospital"),
                    List.of("p.income", "v.cost"), "p.pid", List.of("v.cost > 1000", "p.gender = 'M'")),
            new Source("visits v JOIN labs l ON v.pid = l.pid", List.of("v.hospital", "l.test"),
                    List.of("v.cost", "l.result"), "v.pid", List.of("l.flag = 1")),
            new Source("people p LEFT JOIN visits v ON p.pid = v.pid", List.of("p.district", "v.hospital"),
                    List.of("v.cost", "p.income"), "p.pid", List.of("p.age >= 40")));

    private final Random random;

    DpQueryGenerator(long seed) {
        this.random = new Random(seed);
    }

    List<DpCase> generate(int count) {
        List<DpCase> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(one());
        }
        return out;
    }

    private DpCase one() {
        Source source = pick(SOURCES);
        List<String> keys = new ArrayList<>();
        int keyCount = random.nextInt(3);
        for (int i = 0; i < keyCount; i++) {
            String key = pick(source.dims());
            if (!keys.contains(key)) {
                keys.add(key);
            }
        }
        String where = random.nextInt(3) == 0 ? " WHERE " + pick(source.filters()) : "";
        List<String> select = new ArrayList<>(keys);
        List<List<String>> exact = new ArrayList<>();
        int aggregates = 1 + random.nextInt(3);
        for (int a = 0; a < aggregates; a++) {
            String m = pick(source.measures());
            String name = "a" + a;
            switch (random.nextInt(9)) {
                case 0 -> {
                    select.add("COUNT(*) AS " + name);
                    exact.add(List.of("COUNT(*)"));
                }
                case 1 -> {
                    select.add("COUNT(" + m + ") AS " + name);
                    exact.add(List.of("COUNT(" + m + ")"));
                }
                case 2 -> {
                    select.add("COUNT(DISTINCT " + source.unit() + ") AS " + name);
                    exact.add(List.of("COUNT(DISTINCT " + source.unit() + ")"));
                }
                case 3 -> {
                    select.add("SUM(" + m + ") AS " + name);
                    exact.add(List.of("COALESCE(SUM(" + m + "), 0)"));
                }
                case 4 -> {
                    String combination = "2 * " + m + " + 1";
                    select.add("SUM(" + combination + ") AS " + name);
                    exact.add(List.of("COALESCE(SUM(" + combination + "), 0)"));
                }
                case 5 -> {
                    select.add("AVG(" + m + ") AS " + name);
                    exact.add(List.of("COALESCE(SUM(" + m + "), 0)", "COUNT(" + m + ")"));
                }
                case 6, 7 -> {
                    int f = random.nextInt(3);
                    select.add((f == 0 ? "MIN(" + m + ")" : f == 1 ? "MAX(" + m + ")"
                            : "PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY " + m + ")") + " AS " + name);
                    exact.add(List.of("MIN(" + m + ")", "MAX(" + m + ")", "COUNT(" + m + ")"));
                }
                default -> {
                    String condition = pick(source.dims()) + " IS NOT NULL AND " + m + " > 10";
                    select.add("SUM(" + m + ") FILTER (WHERE " + condition + ") AS " + name);
                    exact.add(List.of("COALESCE(SUM(" + m + ") FILTER (WHERE " + condition + "), 0)"));
                }
            }
        }
        String sql = "SELECT " + String.join(", ", select) + " FROM " + source.from() + where
                + (keys.isEmpty() ? "" : " GROUP BY " + String.join(", ", keys));
        return new DpCase(sql, keys, source.unit(), source.from(), where, exact);
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
