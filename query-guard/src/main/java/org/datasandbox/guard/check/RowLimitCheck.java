package org.datasandbox.guard.check;

import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.sql.SqlKind;
import org.datasandbox.guard.analyze.Granularity;
import org.datasandbox.guard.explain.RuleId;
import org.datasandbox.guard.explain.Violation;

/**
 * LIMIT or OFFSET over individual rows picks particular people (the top earner, the oldest patient),
 * even when an aggregate is computed over them afterwards. Over aggregated rows it is fine.
 */
final class RowLimitCheck implements PlanCheck {

    @Override
    public void check(RelNode node, CheckContext context) {
        if (node instanceof Sort sort && (sort.fetch != null || sort.offset != null)
                && context.granularity(sort.getInput()) == Granularity.ROWS) {
            context.report(Violation.of(RuleId.ROW_LIMIT, "LIMIT or OFFSET over individual rows",
                    context.locator().kind(SqlKind.ORDER_BY)).withSuggestion("aggregate first, then order and limit the groups"));
        }
    }
}
