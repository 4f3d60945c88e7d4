package org.datasandbox.guard.check;

import java.util.Locale;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rex.RexOver;
import org.datasandbox.guard.explain.RuleId;
import org.datasandbox.guard.explain.Violation;

/** Every scalar function and operator in projections, filters and join conditions must be on the allow-list. */
final class FunctionAllowListCheck implements PlanCheck {

    @Override
    public void check(RelNode node, CheckContext context) {
        ScalarCalls.forEach(node, call -> {
            // Window aggregates are judged by WindowOverRowsCheck; their operands are still walked.
            if (!(call instanceof RexOver) && !FunctionAllowList.allows(call.getOperator())) {
                String name = call.getOperator().getName();
                context.report(Violation.of(RuleId.FUNCTION_NOT_ALLOWED,
                        "function " + name.toLowerCase(Locale.ROOT) + " is not allowed",
                        context.locator().call(name)));
            }
        });
    }
}
