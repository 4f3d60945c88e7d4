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
 * Two aggregates of overlapping rows of one table (a total and its groups, groups by district and groups
 * by gender, all residents and the residents with visits) may be released side by side, in one UNION ALL
 * or joined, and one may be divided by the other (a share of the total), but no released value may combine
 * them otherwise: the total minus its released groups is the suppressed ones, one value with fewer than k
 * people behind it. Each aggregate is thresholded on its own by the rewrite, exactly as it would be in a
 * query of its own, so the query releases what the separate queries would, and each value is one of those
 * or a ratio of two of them ({@link ReleaseCombinations}). Aggregates of disjoint rows (their filters
 * contradict: {@code district = 'north'} and {@code district = 'south'}) relate by no subtraction at all.
 */
final class SubtotalsCheck implements PlanCheck {

    @Override
    public void check(RelNode node, CheckContext context) {
        if (node != context.analysis().root()) {
            return;
        }
        Map<Aggregate, List<String>> releases = new java.util.IdentityHashMap<>();
        new RelVisitor() {
            @Override
            public void visit(RelNode child, int ordinal, RelNode parent) {
                // a per-person aggregate (grouped by the unit) releases nothing itself: only the one above counts
                if (ReleaseCombinations.isRelease(child, context.analysis())) {
                    releases.put((Aggregate) child, tablesOf(((Aggregate) child).getInput(), context));
                }
                super.visit(child, ordinal, parent);
            }
        }.go(node);
        Map<List<Aggregate>, String> related = new HashMap<>();
        List<Aggregate> list = new java.util.ArrayList<>(releases.keySet());
        for (int i = 0; i < list.size(); i++) {
            for (int j = i + 1; j < list.size(); j++) {
                Aggregate a = list.get(i);
                Aggregate b = list.get(j);
                releases.get(a).stream().filter(releases.get(b)::contains).filter(t -> !disjoint(t, a, b, context))
                        .findFirst().ifPresent(table -> {
                            related.put(List.of(a, b), table);
                            related.put(List.of(b, a), table);
                        });
            }
        }
        if (related.isEmpty()) {
            return;
        }
        new ReleaseCombinations(context.analysis(), (a, b) -> related.containsKey(List.of(a, b)))
                .find(node).ifPresent(at -> context.report(Violation.of(RuleId.SUBTOTALS,
                                "the query combines two aggregates of overlapping rows of "
                                        + related.values().stream().sorted().findFirst().orElseThrow()
                                        + " in one value (a difference, a sum, a comparison, or one computed over"
                                        + " rows the other cuts)", SqlPosition.UNKNOWN)
                        .withSuggestion("release the aggregates side by side (UNION ALL or a join on their keys)"
                                + " or as a share (a / b); run one query per level of detail")));
    }

    /**
     * Whether two aggregates read disjoint rows of the table: their filters contradict on every pair of
     * paths (north's rows and south's rows, 2020's visits and 2021's). A total covers its parts only when
     * they share rows, so aggregates of disjoint rows relate by no subtraction: each is a release of its own.
     */
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
