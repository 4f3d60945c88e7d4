package org.datasandbox.core.oracle;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.datasandbox.guard.catalog.ContributionBounds;
import org.datasandbox.guard.dp.DpAggregate;
import org.datasandbox.guard.dp.DpQuery;

/**
 * The DP rewrite's oracle, which knows nothing of how the SQL bounds contributions: it runs a {@link DpQuery}'s
 * SQL on a dataset and on neighbours (one person removed, or one person given 100 extra rows) and checks the
 * sensitivity the sandbox calibrates its noise to, from the bounds the query claims:
 * <ul>
 *   <li>a removed person moves at most L0 groups; in each, the distinct-unit count by at most 1, a COUNT
 *       partial by at most Linf, a COUNT(DISTINCT unit) partial by at most 1, a SUM partial by at most
 *       Linf * max(|lower|, |upper|), and a quantile array by at most Linf elements (multiset difference);</li>
 *   <li>a person with changed rows is a removal then an addition: at most 2 * L0 groups, the same count bounds,
 *       a SUM partial by at most Linf * max(upper - lower, |lower|, |upper|), an array by at most 2 * Linf;</li>
 *   <li>over all groups (the L1 sensitivity the noise is calibrated to), each partial and the unit count move in
 *       total by at most L0 times their per-group bound for a removal (twice that for a change): a key that
 *       exists in one world only is a group of that many units moved from 0, so a released key that exists
 *       only because of one person must show at most 1 unit, what partition selection needs.</li>
 * </ul>
 */
final class DpSensitivityOracle {
    /** How a neighbour differs from the dataset. */
    enum Neighbour {
        REMOVED,
        CHANGED
    }

    private static final double TOLERANCE = 1e-6;

    private final SparkSession spark;

    DpSensitivityOracle(SparkSession spark) {
        this.spark = spark;
    }

    /** The query's rows in each world, as one Spark job. */
    Map<Integer, List<Row>> run(String sql, List<Integer> worlds) {
        String union = worlds.stream().map(w -> "SELECT " + w + " AS oracle_world, q.* FROM (" + inWorld(sql, w) + ") q")
                .collect(Collectors.joining("\nUNION ALL\n"));
        Map<Integer, List<Row>> out = new LinkedHashMap<>();
        worlds.forEach(w -> out.put(w, new ArrayList<>()));
        for (Row row : spark.sql(union).collectAsList()) {
            out.get(row.getInt(0)).add(row);
        }
        return out;
    }

    /** Every way the neighbour's release differs from the dataset's by more than the claimed sensitivity. */
    static List<String> violations(DpQuery query, List<Row> base, List<Row> neighbour, Neighbour kind) {
        ContributionBounds bounds = query.bounds();
        int linf = bounds.maxRowsPerUnitPerGroup();
        Map<List<Object>, Row> before = byKey(query, base);
        Map<List<Object>, Row> after = byKey(query, neighbour);
        Set<List<Object>> keys = new HashSet<>(before.keySet());
        keys.addAll(after.keySet());
        List<String> problems = new ArrayList<>();
        int moved = 0;
        double unitTotal = 0;
        Map<String, Double> totals = new LinkedHashMap<>();
        for (List<Object> key : keys) {
            Row a = before.get(key);
            Row b = after.get(key);
            List<String> here = new ArrayList<>();
            boolean changed = a == null || b == null;
            double units = Math.abs(number(a, query.unitCountColumn()) - number(b, query.unitCountColumn()));
            changed |= units > 0;
            unitTotal += units;
            if (units > 1) {
                here.add((a == null || b == null ? "exists in one world only, with " + units + " units"
                        : "distinct units moved by " + units));
            }
            for (DpAggregate aggregate : query.aggregates()) {
                double scale = Math.max(Math.abs(aggregate.lower()), Math.abs(aggregate.upper()));
                if (kind == Neighbour.CHANGED) {
                    scale = Math.max(scale, aggregate.upper() - aggregate.lower());
                }
                for (int p = 0; p < aggregate.partialColumns().size(); p++) {
                    String column = aggregate.partialColumns().get(p);
                    if (aggregate.kind() == DpAggregate.Kind.QUANTILE) {
                        int difference = multisetDifference(values(a, column), values(b, column));
                        changed |= difference > 0;
                        totals.merge(column, (double) difference, Double::sum);
                        int allowed = kind == Neighbour.CHANGED ? 2 * linf : linf;
                        if (difference > allowed) {
                            here.add(column + " array moved by " + difference + " elements, allowed " + allowed);
                        }
                        continue;
                    }
                    double delta = Math.abs(number(a, column) - number(b, column));
                    changed |= delta > TOLERANCE;
                    totals.merge(column, delta, Double::sum);
                    boolean counts = aggregate.kind() == DpAggregate.Kind.COUNT
                            || aggregate.kind() == DpAggregate.Kind.MEAN && p == 1;
                    double allowed = aggregate.kind() == DpAggregate.Kind.COUNT_DISTINCT_UNITS ? 1
                            : counts ? linf : linf * scale;
                    if (delta > allowed * (1 + TOLERANCE) + TOLERANCE) {
                        here.add(column + " moved by " + delta + ", allowed " + allowed);
                    }
                }
            }
            if (changed) {
                moved++;
            }
            here.forEach(problem -> problems.add("group " + key + ": " + problem));
        }
        int allowedGroups = (kind == Neighbour.CHANGED ? 2 : 1) * bounds.maxGroupsPerUnit();
        if (moved > allowedGroups) {
            problems.add(moved + " groups moved, allowed " + allowedGroups);
        }
        if (unitTotal > allowedGroups) {
            problems.add("distinct units moved by " + unitTotal + " over all groups, allowed " + allowedGroups);
        }
        for (DpAggregate aggregate : query.aggregates()) {
            double scale = Math.max(Math.abs(aggregate.lower()), Math.abs(aggregate.upper()));
            for (int p = 0; p < aggregate.partialColumns().size(); p++) {
                String column = aggregate.partialColumns().get(p);
                boolean counts = aggregate.kind() == DpAggregate.Kind.COUNT || aggregate.kind() == DpAggregate.Kind.QUANTILE
                        || aggregate.kind() == DpAggregate.Kind.MEAN && p == 1;
                double perGroup = aggregate.kind() == DpAggregate.Kind.COUNT_DISTINCT_UNITS ? 1
                        : counts ? linf : linf * scale;
                double allowed = allowedGroups * perGroup;
                double total = totals.getOrDefault(column, 0.0);
                if (total > allowed * (1 + TOLERANCE) + TOLERANCE) {
                    problems.add(column + " moved by " + total + " over all groups (L1), allowed " + allowed);
                }
            }
        }
        return problems;
    }

    private static Map<List<Object>, Row> byKey(DpQuery query, List<Row> rows) {
        Map<List<Object>, Row> out = new HashMap<>();
        for (Row row : rows) {
            List<Object> key = new ArrayList<>();
            for (String column : query.groupKeys()) {
                key.add(row.get(row.fieldIndex(column)));
            }
            out.put(key, row);
        }
        return out;
    }

    /** A numeric partial; 0 for a group the release does not have. */
    static double number(Row row, String column) {
        if (row == null) {
            return 0;
        }
        Object value = row.get(row.fieldIndex(column));
        return value == null ? 0 : ((Number) value).doubleValue();
    }

    /** An array partial; empty for a group the release does not have. */
    static List<Double> values(Row row, String column) {
        if (row == null || row.isNullAt(row.fieldIndex(column))) {
            return List.of();
        }
        List<Object> raw = row.getList(row.fieldIndex(column));
        return raw.stream().map(v -> ((Number) v).doubleValue()).toList();
    }

    /** The size of the symmetric multiset difference of two arrays. */
    private static int multisetDifference(List<Double> a, List<Double> b) {
        Map<Double, Integer> counts = new HashMap<>();
        a.forEach(v -> counts.merge(v, 1, Integer::sum));
        b.forEach(v -> counts.merge(v, -1, Integer::sum));
        return counts.values().stream().mapToInt(Math::abs).sum();
    }

    static String inWorld(String sql, int w) {
        return "WITH people AS (SELECT pid, name, phone, gender, district, age, birth_date, income, diagnosis"
                + " FROM people_worlds WHERE world = " + w + "),\n"
                + "visits AS (SELECT visit_id, pid, hospital, visit_date, icd10, cost FROM visits_worlds WHERE world = " + w + "),\n"
                + "labs AS (SELECT pid, test, result, flag FROM labs_worlds WHERE world = " + w + ")\n" + sql;
    }
}
