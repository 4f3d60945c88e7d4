package org.datasandbox.guard.check;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.Values;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexVisitorImpl;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.datasandbox.guard.explain.RuleId;
import org.datasandbox.guard.explain.SqlPosition;
import org.datasandbox.guard.explain.Violation;

/**
 * The SQL Spark runs must mean what the guard judged. Spark reads backslash escapes in string literals
 * ({@code '\\'} is one backslash, {@code '\n'} a newline, {@code '\%'} an escaped LIKE wildcard) where the
 * guard's parser keeps the backslash as it is; a literal holding a backslash after parsing would therefore
 * be compared, matched or released as another string than Spark's. Such literals are refused: only an
 * escaped quote ({@code 'it\'s'}) reads the same in both.
 */
final class StringLiteralCheck implements PlanCheck {

    @Override
    public void check(RelNode node, CheckContext context) {
        List<RexNode> expressions = new ArrayList<>();
        if (node instanceof Project project) {
            expressions.addAll(project.getProjects());
        } else if (node instanceof Filter filter) {
            expressions.add(filter.getCondition());
        } else if (node instanceof Join join) {
            expressions.add(join.getCondition());
        } else if (node instanceof Values values) {
            values.getTuples().forEach(expressions::addAll);
        }
        for (RexNode expression : expressions) {
            Boolean found = expression.accept(new RexVisitorImpl<Boolean>(true) {
                @Override
                public Boolean visitLiteral(RexLiteral literal) {
                    return hasBackslash(literal) ? Boolean.TRUE : null;
                }

                @Override
                public Boolean visitCall(org.apache.calcite.rex.RexCall call) {
                    for (RexNode operand : call.getOperands()) {
                        if (Boolean.TRUE.equals(operand.accept(this))) {
                            return Boolean.TRUE;
                        }
                    }
                    return null;
                }
            });
            if (Boolean.TRUE.equals(found)) {
                context.report(Violation.of(RuleId.UNSUPPORTED_CONSTRUCT,
                                "a string literal with a backslash escape (Spark would read another string)",
                                SqlPosition.UNKNOWN)
                        .withSuggestion("write the character itself instead of a backslash escape"));
                return;
            }
        }
    }

    private static boolean hasBackslash(RexLiteral literal) {
        if (literal.getType().getFamily() != SqlTypeFamily.CHARACTER) {
            return false;
        }
        if (literal.getTypeName() == org.apache.calcite.sql.type.SqlTypeName.SARG) {
            // an IN list or range of strings, folded into one search argument: judge each of its values
            org.apache.calcite.util.Sarg<?> sarg = literal.getValueAs(org.apache.calcite.util.Sarg.class);
            return sarg != null && sarg.rangeSet.asRanges().stream().anyMatch(range ->
                    range.hasLowerBound() && hasBackslash(range.lowerEndpoint())
                            || range.hasUpperBound() && hasBackslash(range.upperEndpoint()));
        }
        String value = literal.getValueAs(String.class);
        return value != null && value.indexOf('\\') >= 0;
    }

    private static boolean hasBackslash(Object value) {
        String text = value instanceof org.apache.calcite.util.NlsString nls ? nls.getValue() : String.valueOf(value);
        return text.indexOf('\\') >= 0;
    }
}
