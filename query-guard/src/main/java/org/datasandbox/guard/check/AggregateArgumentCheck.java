package org.datasandbox.guard.check;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.datasandbox.guard.analyze.Definitions;
import org.datasandbox.guard.analyze.Granularity;
import org.datasandbox.guard.explain.RuleId;
import org.datasandbox.guard.explain.Violation;

/**
 * What may go into an aggregate over individual rows: columns, literals, arithmetic, division by a
 * literal, casts, ROUND, and CASE (whose branches the rewrite thresholds as cells of their own). Anything
 * else can turn a value into an indicator or an error that no threshold sees: {@code SIGN(ABS(age - 37))},
 * {@code NULLIF(id_card, '...')}, {@code 1 / (LENGTH(name) - 3)} under COUNT.
 */
final class AggregateArgumentCheck implements PlanCheck {
    private static final Set<SqlKind> ARITHMETIC = Set.of(SqlKind.PLUS, SqlKind.MINUS, SqlKind.TIMES,
            SqlKind.MINUS_PREFIX, SqlKind.PLUS_PREFIX, SqlKind.CAST, SqlKind.CHECKED_PLUS, SqlKind.CHECKED_MINUS,
            SqlKind.CHECKED_TIMES, SqlKind.CHECKED_MINUS_PREFIX);

    @Override
    public void check(RelNode node, CheckContext context) {
        if (!(node instanceof Aggregate aggregate) || context.granularity(aggregate.getInput()) != Granularity.ROWS) {
            return;
        }
        for (AggregateCall call : aggregate.getAggCallList()) {
            for (int arg : call.getArgList()) {
                Optional<Definitions.Definition> definition = Definitions.of(aggregate.getInput(), arg);
                if (definition.isEmpty()) {
                    continue; // a column passed through joins or unions as it is
                }
                String problem = problem(definition.get().expression(), false);
                if (problem != null) {
                    String name = call.getAggregation().getName().toLowerCase(Locale.ROOT);
                    context.report(Violation.of(RuleId.AGGREGATE_ARGUMENT, problem + " inside " + name,
                                    context.locator().call(call.getAggregation().getName()))
                            .withSuggestion("aggregate columns or arithmetic on them; put conditions in FILTER (WHERE ...)"));
                    return;
                }
            }
        }
    }

    /** What is not allowed in an expression, or null. {@code inCondition}: inside a CASE condition. */
    private static String problem(RexNode expression, boolean inCondition) {
        if (expression instanceof RexInputRef || expression instanceof RexLiteral) {
            return null;
        }
        if (!(expression instanceof RexCall call)) {
            return "this expression";
        }
        SqlKind kind = call.getKind();
        if (kind == SqlKind.CASE) {
            for (int i = 0; i < call.getOperands().size(); i++) {
                boolean condition = i % 2 == 0 && i < call.getOperands().size() - 1;
                // conditions are judged by the filter rules; values must stay arithmetic
                String inner = condition ? null : problem(call.getOperands().get(i), false);
                if (inner != null) {
                    return inner;
                }
            }
            return null;
        }
        if (kind == SqlKind.DIVIDE || kind == SqlKind.CHECKED_DIVIDE) {
            if (!(call.getOperands().get(1) instanceof RexLiteral)) {
                return "division by a computed value (a zero divisor would single out rows)";
            }
            return problem(call.getOperands().get(0), inCondition);
        }
        if (ARITHMETIC.contains(kind) || call.getOperator().getName().equalsIgnoreCase("ROUND")) {
            for (RexNode operand : call.getOperands()) {
                String inner = problem(operand, inCondition);
                if (inner != null) {
                    return inner;
                }
            }
            return null;
        }
        return "function " + call.getOperator().getName().toLowerCase(Locale.ROOT);
    }
}
