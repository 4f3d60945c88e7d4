package org.datasandbox.guard.check;

import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rex.RexNode;
import org.datasandbox.guard.analyze.Granularity;
import org.datasandbox.guard.explain.RuleId;
import org.datasandbox.guard.explain.SqlPosition;
import org.datasandbox.guard.explain.Violation;

/**
 * Refuse what cannot be traced: every condition that selects individual rows (a WHERE, an ON clause, an
 * aggregate's FILTER) must be written out over base columns on every branch it applies to, since the
 * identifier and bucket rules judge it there. A condition the guard cannot trace would otherwise be judged
 * by nothing (a filter above a UNION ALL whose other branch is an empty VALUES once escaped the bucket rules).
 */
final class TraceableConditionCheck implements PlanCheck {

    @Override
    public void check(RelNode node, CheckContext context) {
        if (node instanceof Filter filter && context.granularity(filter.getInput()) == Granularity.ROWS) {
            require(filter.getInput(), filter.getCondition(), context);
        } else if (node instanceof Join join && context.granularity(join) == Granularity.ROWS) {
            for (RexNode conjunct : RelOptUtil.conjunctions(join.getCondition())) {
                require(join, conjunct, context);
            }
        } else if (node instanceof Aggregate aggregate && context.granularity(aggregate.getInput()) == Granularity.ROWS) {
            for (AggregateCall call : aggregate.getAggCallList()) {
                if (call.filterArg >= 0) {
                    require(aggregate.getInput(), CheckContext.field(aggregate.getInput(), call.filterArg), context);
                }
            }
        }
    }

    private static void require(RelNode input, RexNode condition, CheckContext context) {
        if (context.expand(input, condition).isEmpty()) {
            context.report(Violation.of(RuleId.UNSUPPORTED_CONSTRUCT,
                            "a condition the guard cannot trace to the table columns it reads", SqlPosition.UNKNOWN)
                    .withSuggestion("write the condition directly on the table's columns, without empty branches"));
        }
    }
}
