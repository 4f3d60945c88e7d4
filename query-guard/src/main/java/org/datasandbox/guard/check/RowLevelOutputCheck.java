package org.datasandbox.guard.check;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.calcite.rel.RelNode;
import org.datasandbox.guard.analyze.Granularity;
import org.datasandbox.guard.catalog.ColumnRef;
import org.datasandbox.guard.catalog.ColumnRole;
import org.datasandbox.guard.catalog.GuardColumn;
import org.datasandbox.guard.explain.RuleId;
import org.datasandbox.guard.explain.Violation;

/**
 * The released output must be aggregated rows (or literal rows). Output with one row per record is
 * refused, naming the most sensitive column it would release.
 */
final class RowLevelOutputCheck implements PlanCheck {

    /** Lower is more sensitive: the message names the worst column. */
    private static int sensitivityRank(ColumnRole role) {
        return switch (role) {
            case PRIVACY_UNIT -> 0;
            case DIRECT_IDENTIFIER -> 1;
            case QUASI_IDENTIFIER -> 2;
            case SENSITIVE_ATTRIBUTE -> 3;
            case MEASURE -> 4;
            case DIMENSION -> 5;
        };
    }

    @Override
    public void check(RelNode node, CheckContext context) {
        if (node != context.analysis().root() || context.granularity(node) != Granularity.ROWS) {
            return;
        }
        int worstField = 0;
        ColumnRef worstColumn = null;
        int worstRank = Integer.MAX_VALUE;
        for (int i = 0; i < node.getRowType().getFieldCount(); i++) {
            Optional<Set<ColumnRef>> sources = context.sources(node, i);
            for (ColumnRef ref : sources.orElse(Set.of())) {
                int rank = sensitivityRank(context.column(ref).role());
                if (rank < worstRank) {
                    worstRank = rank;
                    worstColumn = ref;
                    worstField = i;
                }
            }
        }
        if (worstColumn == null) {
            context.report(Violation.of(RuleId.ROW_LEVEL_OUTPUT, "the query returns one row per record",
                    context.locator().selectItem(0)).withSuggestion("aggregate with GROUP BY and COUNT(*)"));
            return;
        }
        GuardColumn column = context.column(worstColumn);
        String role = column.role().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        String suggestion = column.role() == ColumnRole.DIMENSION
                ? "aggregate: SELECT " + column.name() + ", COUNT(*) ... GROUP BY " + column.name()
                : "drop column " + column.name() + " and aggregate the rest with GROUP BY";
        context.report(Violation.of(RuleId.ROW_LEVEL_OUTPUT,
                "column " + worstColumn + " (" + role + ") would leave row by row",
                context.locator().selectItem(worstField)).withSuggestion(suggestion));
    }
}
