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
        Map<String, Integer> aggregated = new HashMap<>();
        new RelVisitor() {
            @Override
            public void visit(RelNode child, int ordinal, RelNode parent) {
                // a per-person aggregate (grouped by the unit) releases nothing itself: only the one above counts
                if (child instanceof Aggregate aggregate && context.granularity(aggregate) == Granularity.GROUPS) {
                    tablesOf(aggregate.getInput(), context).forEach(t -> aggregated.merge(t, 1, Integer::sum));
                }
                super.visit(child, ordinal, parent);
            }
        }.go(node);
        aggregated.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).sorted().findFirst()
                .ifPresent(table -> context.report(Violation.of(RuleId.SUBTOTALS,
                                "the query aggregates " + table + " " + aggregated.get(table) + " times",
                                SqlPosition.UNKNOWN)
                        .withSuggestion("aggregate each table once per query; run one query per level of detail")));
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
