package org.datasandbox.guard.check;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelVisitor;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.TableScan;
import org.datasandbox.guard.analyze.Granularity;
import org.datasandbox.guard.explain.RuleId;
import org.datasandbox.guard.explain.SqlPosition;
import org.datasandbox.guard.explain.Violation;

/**
 * A query may aggregate each table once. Two aggregates of the same people let a suppressed group be
 * computed by subtraction: a total next to its groups, groups by district next to groups by gender, all
 * residents next to the residents with visits. The same risk as ROLLUP, built by hand with UNION ALL,
 * scalar sub-queries or joins of aggregates.
 */
final class SubtotalsCheck implements PlanCheck {

    @Override
    public void check(RelNode node, CheckContext context) {
        if (node != context.analysis().root()) {
            return;
        }
        Map<String, List<Aggregate>> aggregates = new HashMap<>();
        new RelVisitor() {
            @Override
            public void visit(RelNode child, int ordinal, RelNode parent) {
                // a per-person aggregate (grouped by the unit) releases nothing itself: only the one above counts
                if (child instanceof Aggregate aggregate && context.granularity(aggregate) == Granularity.GROUPS) {
                    tablesOf(aggregate.getInput(), context).forEach(
                            t -> aggregates.computeIfAbsent(t, x -> new java.util.ArrayList<>()).add(aggregate));
                }
                super.visit(child, ordinal, parent);
            }
        }.go(node);
        Map<String, Integer> aggregated = new HashMap<>();
        aggregates.forEach((table, list) -> {
            if (list.size() > 1 && !pairwiseDisjoint(table, list, context)) {
                aggregated.put(table, list.size());
            }
        });
        aggregated.entrySet().stream().map(Map.Entry::getKey).sorted().findFirst()
                .ifPresent(table -> context.report(Violation.of(RuleId.SUBTOTALS,
                                "the query aggregates " + table + " " + aggregated.get(table) + " times",
                                SqlPosition.UNKNOWN)
                        .withSuggestion("aggregate each table once per query; run one query per level of detail")));
    }

    /**
     * Whether every two aggregates read disjoint rows of the table: their filters contradict on every pair of
     * paths (north's rows and south's rows, 2020's visits and 2021's). A total covers its parts only when
     * they share rows, so aggregates of disjoint rows relate by no subtraction: each is a release of its own.
     */
    private static boolean pairwiseDisjoint(String table, List<Aggregate> list, CheckContext context) {
        for (int i = 0; i < list.size(); i++) {
            for (int j = i + 1; j < list.size(); j++) {
                if (!disjoint(table, list.get(i), list.get(j), context)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean disjoint(String table, Aggregate a, Aggregate b, CheckContext context) {
        if (!singleScanOf(table, a.getInput(), context) || !singleScanOf(table, b.getInput(), context)) {
            return false;
        }
        org.apache.calcite.rex.RexBuilder rex = a.getCluster().getRexBuilder();
        for (List<org.apache.calcite.rex.RexNode> left : context.conditionsBelow(a.getInput())) {
            for (List<org.apache.calcite.rex.RexNode> right : context.conditionsBelow(b.getInput())) {
                List<org.apache.calcite.rex.RexNode> both = new java.util.ArrayList<>();
                left.forEach(c -> both.add(sameScan(c, rex)));
                right.forEach(c -> both.add(sameScan(c, rex)));
                if (both.isEmpty() || !context.simplify(rex.makeCall(
                        org.apache.calcite.sql.fun.SqlStdOperatorTable.AND, both.size() == 1 ? List.of(both.get(0), rex.makeLiteral(true)) : both))
                        .isAlwaysFalse()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether the rows below read exactly one scan, of this table (a join or union could bring its rows back). */
    private static boolean singleScanOf(String table, RelNode node, CheckContext context) {
        int[] scans = {0};
        boolean[] other = {false};
        new RelVisitor() {
            @Override
            public void visit(RelNode child, int ordinal, RelNode parent) {
                if (context.granularity(child) != Granularity.ROWS) {
                    return;
                }
                if (child instanceof TableScan scan) {
                    List<String> name = scan.getTable().getQualifiedName();
                    scans[0]++;
                    other[0] |= !name.get(name.size() - 1).equals(table);
                }
                super.visit(child, ordinal, parent);
            }
        }.go(node);
        return scans[0] == 1 && !other[0];
    }

    /** The condition with every occurrence of a table read as one scan, so that two scans' conditions compare. */
    private static org.apache.calcite.rex.RexNode sameScan(org.apache.calcite.rex.RexNode condition,
                                                         org.apache.calcite.rex.RexBuilder rex) {
        return condition.accept(new org.apache.calcite.rex.RexShuttle() {
            @Override
            public org.apache.calcite.rex.RexNode visitTableInputRef(org.apache.calcite.rex.RexTableInputRef ref) {
                return org.apache.calcite.rex.RexTableInputRef.of(org.apache.calcite.rex.RexTableInputRef.RelTableRef.of(
                        ref.getTableRef().getTable(), 0), ref.getIndex(), ref.getType());
            }
        });
    }

    private static List<String> tablesOf(RelNode node, CheckContext context) {
        java.util.Set<String> tables = new java.util.TreeSet<>();
        new RelVisitor() {
            @Override
            public void visit(RelNode child, int ordinal, RelNode parent) {
                if (context.granularity(child) != Granularity.ROWS) {
                    return; // an aggregated sub-plan (a scalar total beside the rows) is counted on its own
                }
                if (child instanceof TableScan scan) {
                    List<String> name = scan.getTable().getQualifiedName();
                    tables.add(name.get(name.size() - 1));
                }
                super.visit(child, ordinal, parent);
            }
        }.go(node);
        return List.copyOf(tables);
    }
}
