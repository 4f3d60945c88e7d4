package org.datasandbox.guard.check;

import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.sql.SqlKind;
import org.datasandbox.guard.explain.RuleId;
import org.datasandbox.guard.explain.SqlPosition;
import org.datasandbox.guard.explain.Violation;

/**
 * ROLLUP, CUBE and GROUPING SETS release subtotals from which a suppressed small cell can be computed
 * by subtraction. Until complementary suppression exists, they are refused.
 */
final class GroupingSetsCheck implements PlanCheck {

    @Override
    public void check(RelNode node, CheckContext context) {
        if (node instanceof Aggregate aggregate && aggregate.getGroupType() != Aggregate.Group.SIMPLE) {
            SqlPosition at = context.locator().kind(SqlKind.ROLLUP);
            if (!at.isKnown()) {
                at = context.locator().kind(SqlKind.CUBE);
            }
            if (!at.isKnown()) {
                at = context.locator().kind(SqlKind.GROUPING_SETS);
            }
            context.report(Violation.of(RuleId.GROUPING_SETS, "subtotals could reveal suppressed groups", at)
                    .withSuggestion("run one GROUP BY per level of detail"));
        }
    }
}
