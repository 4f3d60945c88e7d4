package org.datasandbox.guard.check;

import java.util.List;
import java.util.Locale;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexOver;
import org.apache.calcite.rex.RexVisitorImpl;
import org.datasandbox.guard.explain.RuleId;
import org.datasandbox.guard.explain.Violation;

/** Every scalar function and operator in projections, filters and join conditions must be on the allow-list. */
final class FunctionAllowListCheck implements PlanCheck {

    @Override
    public void check(RelNode node, CheckContext context) {
        List<RexNode> expressions;
        if (node instanceof Project project) {
            expressions = project.getProjects();
        } else if (node instanceof Filter filter) {
            expressions = List.of(filter.getCondition());
        } else if (node instanceof Join join) {
            expressions = List.of(join.getCondition());
        } else {
            return;
        }
        for (RexNode expression : expressions) {
            expression.accept(new RexVisitorImpl<Void>(true) {
                @Override
                public Void visitCall(RexCall call) {
                    // Window aggregates are judged by WindowOverRowsCheck; their operands are still walked.
                    if (!(call instanceof RexOver) && !FunctionAllowList.allows(call.getOperator())) {
                        String name = call.getOperator().getName();
                        context.report(Violation.of(RuleId.FUNCTION_NOT_ALLOWED,
                                "function " + name.toLowerCase(Locale.ROOT) + " is not allowed",
                                context.locator().call(name)));
                    }
                    return super.visitCall(call);
                }
            });
        }
    }
}
