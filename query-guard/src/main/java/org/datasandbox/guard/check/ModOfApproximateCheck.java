package org.datasandbox.guard.check;

import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.datasandbox.guard.explain.RuleId;
import org.datasandbox.guard.explain.Violation;

/**
 * The SQL Spark runs must mean what the user wrote and the guard judged. Calcite's {@code MOD} (and
 * {@code %}) takes exact numbers only, so the validator converts a floating-point operand to the type
 * system's default decimal, {@code DECIMAL(19, 15)}: four digits before the point. Spark, given that cast,
 * turns every value of 10,000 or more into NULL (ANSI off), where the user's {@code x % 8} on a double
 * has a value: the released result would not be the answer to the query. Such a {@code MOD} is refused;
 * an explicit cast to an integer type first ({@code CAST(x AS BIGINT) % 8}) means the same in both.
 */
final class ModOfApproximateCheck implements PlanCheck {

    @Override
    public void check(RelNode node, CheckContext context) {
        boolean[] found = {false};
        ScalarCalls.forEach(node, call -> {
            if (!found[0] && call.getKind() == SqlKind.MOD && call.getOperands().stream().anyMatch(ModOfApproximateCheck::coerced)) {
                found[0] = true;
                context.report(Violation.of(RuleId.FUNCTION_NOT_ALLOWED,
                                "mod of a floating-point value (the guard would compute it on a decimal that cannot hold every value)",
                                context.locator().call("MOD"))
                        .withSuggestion("cast the value to BIGINT first: CAST(x AS BIGINT) % n"));
            }
        });
    }

    /** A cast from a floating-point number to a decimal: what the validator inserts for MOD. */
    private static boolean coerced(RexNode operand) {
        return operand instanceof RexCall cast && cast.getKind() == SqlKind.CAST
                && cast.getType().getSqlTypeName() == SqlTypeName.DECIMAL
                && SqlTypeUtil.isApproximateNumeric(cast.getOperands().get(0).getType());
    }
}
