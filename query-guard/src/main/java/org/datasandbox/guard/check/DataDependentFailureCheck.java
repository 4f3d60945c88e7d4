package org.datasandbox.guard.check;

import java.util.List;
import java.util.Locale;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.datasandbox.guard.explain.RuleId;
import org.datasandbox.guard.explain.Violation;

/**
 * Whether a job fails, and roughly how long it runs, must not depend on a value. Spark runs with ANSI
 * mode off, so arithmetic, casts and dates give NULL instead of failing; what is left are arguments that
 * Spark compiles or interprets, and functions whose output can grow much faster than their input. Of the
 * allow-list, these take literals only in those positions:
 * <ul>
 *   <li>{@code LIKE} patterns and escapes (an invalid pattern made from data throws for one value),</li>
 *   <li>{@code DATE_FORMAT} and {@code TO_DATE} formats, {@code DATE_TRUNC} units (invalid ones throw),</li>
 *   <li>{@code ROUND} and {@code TRUNCATE} scales,</li>
 *   <li>{@code REPLACE}: a literal search string and a replacement no longer than it, so that the result
 *       is never longer than the input (nested replacements would otherwise grow exponentially).</li>
 * </ul>
 * Every other allowed function is total on its domain or returns NULL, and grows its output at most
 * linearly in the size of the query ({@code CONCAT}, {@code ||}, {@code UPPER}).
 */
final class DataDependentFailureCheck implements PlanCheck {

    @Override
    public void check(RelNode node, CheckContext context) {
        ScalarCalls.forEach(node, call -> {
            String problem = problem(call);
            if (problem != null) {
                String name = call.getOperator().getName();
                context.report(Violation.of(RuleId.FUNCTION_NOT_ALLOWED, problem, context.locator().call(name))
                        .withSuggestion("write that argument as a literal that Spark accepts"));
            }
        });
    }

    /** Why a call could fail or blow up depending on a value, or null. */
    static String problem(RexCall call) {
        String name = call.getOperator().getName().toUpperCase(Locale.ROOT);
        List<RexNode> operands = call.getOperands();
        if (call.getKind() == SqlKind.LIKE || call.getKind() == SqlKind.SIMILAR || name.contains("LIKE")) {
            if (!allLiteral(operands.subList(1, operands.size()))) {
                return "a LIKE pattern computed from data (an invalid pattern fails for one value)";
            }
            // A literal pattern Spark rejects fails only when a row reaches it (in a FILTER or CASE branch
            // one person takes): it is refused here, by Spark's own rules.
            return SparkPatterns.problem(name, call.getKind(), literals(operands.subList(1, operands.size())));
        }
        switch (name) {
            case "DATE_FORMAT", "TO_DATE", "TO_TIMESTAMP":
                return operands.size() < 2 || allLiteral(operands.subList(1, operands.size())) ? null
                        : "a date format computed from data";
            case "DATE_TRUNC":
                return isLiteral(operands.get(0)) ? null : "a date_trunc unit computed from data";
            case "ROUND", "TRUNCATE", "TRUNC":
                return operands.size() < 2 || isLiteral(operands.get(1)) ? null : "a rounding scale computed from data";
            case "REPLACE":
                if (operands.size() == 2) {
                    return isLiteral(operands.get(1)) ? null : "a REPLACE search string computed from data";
                }
                if (operands.size() == 3 && isLiteral(operands.get(1)) && isLiteral(operands.get(2))) {
                    String search = ((RexLiteral) strip(operands.get(1))).getValueAs(String.class);
                    String replacement = ((RexLiteral) strip(operands.get(2))).getValueAs(String.class);
                    if (search != null && replacement != null && replacement.length() <= search.length()) {
                        return null;
                    }
                }
                return "a REPLACE that can lengthen the string (nested, it grows exponentially with one value)";
            default:
                return null;
        }
    }

    private static List<String> literals(List<RexNode> operands) {
        return operands.stream().map(o -> ((RexLiteral) strip(o)).getValueAs(String.class)).toList();
    }

    private static boolean allLiteral(List<RexNode> operands) {
        return operands.stream().allMatch(DataDependentFailureCheck::isLiteral);
    }

    private static boolean isLiteral(RexNode node) {
        return strip(node) instanceof RexLiteral;
    }

    private static RexNode strip(RexNode node) {
        RexNode inner = node;
        while (inner instanceof RexCall call && call.getKind() == SqlKind.CAST) {
            inner = call.getOperands().get(0);
        }
        return inner;
    }
}
