package org.datasandbox.guard.dp;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexTableInputRef;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.datasandbox.guard.analyze.Lineage;
import org.datasandbox.guard.analyze.PlanAnalysis;
import org.datasandbox.guard.catalog.Bounds;
import org.datasandbox.guard.catalog.ColumnRef;

/**
 * The clamping interval of an aggregated value, by interval arithmetic over its expression written out
 * over base columns: a column contributes its policy bounds, a literal itself, and
 * <pre>
 *   V := column with bounds | numeric literal | V + V | V - V | -V | V * K | K * V | V / K (K a literal, K != 0)
 *      | CAST(V AS numeric) | CASE WHEN c THEN V ... ELSE V END (any conditions) | COALESCE(V, ...)
 * </pre>
 * Everything else has no interval and is refused. The interval only calibrates: privacy comes from
 * clamping every row's value into it, whatever the expression computes.
 */
final class MeasureBounds {
    private final PlanAnalysis analysis;
    private final Lineage lineage;

    MeasureBounds(PlanAnalysis analysis) {
        this.analysis = analysis;
        this.lineage = new Lineage(analysis);
    }

    /** The interval of field {@code field} of {@code input}; throws a DP refusal when it has none. */
    Bounds of(RelNode input, int field, String outputName) {
        Optional<List<RexNode>> forms = lineage.expand(input, field);
        if (forms.isEmpty() || forms.get().size() != 1) {
            throw DpRefusal.NOT_BOUNDED.exception("the argument of " + outputName + " cannot be traced to columns");
        }
        return interval(forms.get().get(0), outputName);
    }

    private Bounds interval(RexNode node, String outputName) {
        if (node instanceof RexTableInputRef ref) {
            ColumnRef column = PlanAnalysis.ref(ref);
            return analysis.column(column).bounds().orElseThrow(() -> DpRefusal.NOT_BOUNDED.exception(
                    "column " + column.column() + " of " + outputName + " has no clamping bounds in the policy"));
        }
        if (node instanceof RexLiteral literal && SqlTypeFamily.NUMERIC.contains(literal.getType())
                && !literal.isNull()) {
            double value = literal.getValueAs(BigDecimal.class).doubleValue();
            return new Bounds(value, value);
        }
        if (node instanceof RexCall call) {
            List<RexNode> operands = call.getOperands();
            switch (call.getKind()) {
                case PLUS, CHECKED_PLUS -> {
                    Bounds a = interval(operands.get(0), outputName);
                    Bounds b = interval(operands.get(1), outputName);
                    return finite(a.lower() + b.lower(), a.upper() + b.upper(), outputName);
                }
                case MINUS, CHECKED_MINUS -> {
                    Bounds a = interval(operands.get(0), outputName);
                    Bounds b = interval(operands.get(1), outputName);
                    return finite(a.lower() - b.upper(), a.upper() - b.lower(), outputName);
                }
                case MINUS_PREFIX, CHECKED_MINUS_PREFIX -> {
                    Bounds a = interval(operands.get(0), outputName);
                    return new Bounds(-a.upper(), -a.lower());
                }
                case PLUS_PREFIX -> {
                    return interval(operands.get(0), outputName);
                }
                case TIMES, CHECKED_TIMES -> {
                    Optional<Double> left = constant(operands.get(0));
                    Optional<Double> right = constant(operands.get(1));
                    if (left.isPresent()) {
                        return scale(interval(operands.get(1), outputName), left.get(), outputName);
                    }
                    if (right.isPresent()) {
                        return scale(interval(operands.get(0), outputName), right.get(), outputName);
                    }
                    throw DpRefusal.NOT_BOUNDED.exception("the argument of " + outputName
                            + " multiplies two values from data");
                }
                case DIVIDE, CHECKED_DIVIDE -> {
                    Optional<Double> divisor = constant(operands.get(1));
                    if (divisor.isEmpty() || divisor.get() == 0) {
                        throw DpRefusal.NOT_BOUNDED.exception("the argument of " + outputName
                                + " divides by something other than a non-zero literal");
                    }
                    return scale(interval(operands.get(0), outputName), 1 / divisor.get(), outputName);
                }
                case CAST -> {
                    if (SqlTypeFamily.NUMERIC.contains(call.getType())) {
                        return interval(operands.get(0), outputName);
                    }
                }
                case CASE -> {
                    Bounds union = null;
                    for (int i = 1; i < operands.size(); i += 2) {
                        union = union(union, operands.get(i), outputName);
                    }
                    union = union(union, operands.get(operands.size() - 1), outputName);
                    if (union != null) {
                        return union;
                    }
                }
                case COALESCE -> {
                    Bounds union = null;
                    for (RexNode operand : operands) {
                        union = union(union, operand, outputName);
                    }
                    if (union != null) {
                        return union;
                    }
                }
                default -> {
                }
            }
            throw DpRefusal.NOT_BOUNDED.exception("the argument of " + outputName + " uses "
                    + call.getOperator().getName() + ", which has no bounds");
        }
        throw DpRefusal.NOT_BOUNDED.exception("the argument of " + outputName + " is not a bounded measure");
    }

    /** A NULL branch contributes nothing (NULL is not aggregated). */
    private Bounds union(Bounds sofar, RexNode operand, String outputName) {
        if (operand instanceof RexLiteral literal && literal.isNull()
                || operand.getType().getSqlTypeName() == SqlTypeName.NULL) {
            return sofar;
        }
        Bounds next = interval(operand, outputName);
        return sofar == null ? next
                : new Bounds(Math.min(sofar.lower(), next.lower()), Math.max(sofar.upper(), next.upper()));
    }

    private static Optional<Double> constant(RexNode node) {
        RexNode inner = node;
        while (inner instanceof RexCall call && call.getKind() == org.apache.calcite.sql.SqlKind.CAST) {
            inner = call.getOperands().get(0);
        }
        if (inner instanceof RexLiteral literal && !literal.isNull() && SqlTypeFamily.NUMERIC.contains(literal.getType())) {
            return Optional.of(literal.getValueAs(BigDecimal.class).doubleValue());
        }
        return Optional.empty();
    }

    private static Bounds scale(Bounds bounds, double factor, String outputName) {
        double a = bounds.lower() * factor;
        double b = bounds.upper() * factor;
        return finite(Math.min(a, b), Math.max(a, b), outputName);
    }

    private static Bounds finite(double lower, double upper, String outputName) {
        if (!Double.isFinite(lower) || !Double.isFinite(upper)) {
            throw DpRefusal.NOT_BOUNDED.exception("the bounds of " + outputName + " overflow");
        }
        return new Bounds(lower, upper);
    }
}
