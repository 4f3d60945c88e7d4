package org.datasandbox.guard.check;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexTableInputRef;
import org.apache.calcite.rex.RexVisitorImpl;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.datasandbox.guard.analyze.Definitions;
import org.datasandbox.guard.analyze.Granularity;
import org.datasandbox.guard.analyze.PlanAnalysis;
import org.datasandbox.guard.catalog.ColumnRole;
import org.datasandbox.guard.explain.RuleId;
import org.datasandbox.guard.explain.Violation;

/**
 * What may stand inside an aggregate over individual rows, judged on the argument written out over base
 * columns through every projection, join, sub-query and UNION ALL branch below (not only the projection
 * right under the aggregate). The grammar, for a value V:
 * <pre>
 *   V := column | literal | released value (an aggregate of a sub-query)
 *      | per-person value (an aggregate grouped by the privacy unit: data, not a constant)
 *      | V + V | V - V | -V | V * K | K * V | V / K        (K: a literal or released value, never 0)
 *      | V / measure column                              (a ratio of two measures)
 *      | CAST(V AS a type at least as wide)
 *      | CASE WHEN c THEN V ... ELSE V END               (written in the aggregate itself: its branches
 *                                                         are cells the rewrite thresholds)
 * </pre>
 * Everything else is refused: it can turn one person's value into an indicator that no threshold sees
 * ({@code (x - 1) * (x - 2)}, {@code ROUND(x / 1000)}, {@code SIGN(x - 37)}), or into NULL for everyone
 * else (a narrowing CAST that overflows, {@code NULLIF}). Linear functions of values only rescale and shift
 * a sum; the conditions of a CASE define cells, and each cell gets its own k.
 */
final class AggregateArgumentCheck implements PlanCheck {
    private static final Set<SqlKind> ADDITIVE = Set.of(SqlKind.PLUS, SqlKind.MINUS, SqlKind.CHECKED_PLUS,
            SqlKind.CHECKED_MINUS);
    private static final Set<SqlKind> PREFIX = Set.of(SqlKind.MINUS_PREFIX, SqlKind.PLUS_PREFIX,
            SqlKind.CHECKED_MINUS_PREFIX);
    private static final Set<SqlKind> TIMES = Set.of(SqlKind.TIMES, SqlKind.CHECKED_TIMES);
    private static final Set<SqlKind> DIVIDE = Set.of(SqlKind.DIVIDE, SqlKind.CHECKED_DIVIDE);

    @Override
    public void check(RelNode node, CheckContext context) {
        if (!(node instanceof Aggregate aggregate) || context.granularity(aggregate.getInput()) != Granularity.ROWS) {
            return;
        }
        RelNode input = aggregate.getInput();
        for (AggregateCall call : aggregate.getAggCallList()) {
            for (int arg : call.getArgList()) {
                String problem = problem(input, arg, context);
                if (problem != null) {
                    String name = call.getAggregation().getName().toLowerCase(Locale.ROOT);
                    context.report(Violation.of(RuleId.AGGREGATE_ARGUMENT, problem + " inside " + name,
                                    context.locator().call(call.getAggregation().getName()))
                            .withSuggestion("aggregate a column or a sum of columns times literals; put conditions in "
                                    + "FILTER (WHERE ...) or a CASE written inside the aggregate"));
                    return;
                }
            }
        }
    }

    private static String problem(RelNode input, int arg, CheckContext context) {
        Optional<List<RexNode>> forms = context.lineage().expand(input, arg);
        if (forms.isEmpty()) {
            return "an argument the guard cannot trace";
        }
        int casesHere = Definitions.of(input, arg).map(d -> cases(d.expression())).orElse(0);
        for (RexNode form : forms.get()) {
            if (cases(form) > casesHere) {
                return "a CASE computed in a sub-query, join or union below the aggregate";
            }
            String problem = value(form, context);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    /** What is not allowed in a value, or null. */
    private static String value(RexNode expression, CheckContext context) {
        if (expression instanceof RexTableInputRef || org.datasandbox.guard.analyze.PerUnitValue.is(expression)
                || isConstant(expression)) {
            return null;
        }
        if (!(expression instanceof RexCall call)) {
            return "this expression";
        }
        SqlKind kind = call.getKind();
        List<RexNode> operands = call.getOperands();
        if (kind == SqlKind.CASE) {
            for (int i = 1; i < operands.size(); i += 2) {
                String inner = value(operands.get(i), context);
                if (inner != null) {
                    return inner;
                }
            }
            return value(operands.get(operands.size() - 1), context);
        }
        if (ADDITIVE.contains(kind)) {
            String left = value(operands.get(0), context);
            return left != null ? left : value(operands.get(1), context);
        }
        if (PREFIX.contains(kind)) {
            return value(operands.get(0), context);
        }
        if (TIMES.contains(kind)) {
            if (isConstant(operands.get(0))) {
                return value(operands.get(1), context);
            }
            if (isConstant(operands.get(1))) {
                return value(operands.get(0), context);
            }
            return "a product of two values of the data (it can be 0 or 1 depending on one person)";
        }
        if (DIVIDE.contains(kind) || call.getOperator().getName().equalsIgnoreCase("TRY_DIVIDE")) {
            RexNode divisor = operands.get(1);
            boolean literalDivisor = isConstant(divisor) && !isZero(divisor);
            boolean measureDivisor = divisor instanceof RexTableInputRef ref
                    && context.column(PlanAnalysis.ref(ref)).role() == ColumnRole.MEASURE;
            if (!literalDivisor && !measureDivisor) {
                return "division by a computed value (a zero divisor would single out rows)";
            }
            return value(operands.get(0), context);
        }
        if (kind == SqlKind.CAST) {
            if (!isWidening(operands.get(0).getType(), call.getType())) {
                return "a narrowing cast (values that do not fit would become NULL)";
            }
            return value(operands.get(0), context);
        }
        return "function " + call.getOperator().getName().toLowerCase(Locale.ROOT);
    }

    /** Literals, released values of aggregated sub-queries, and arithmetic on them only. */
    private static boolean isConstant(RexNode expression) {
        if (expression instanceof RexLiteral || expression instanceof RexDynamicParam) {
            return true;
        }
        if (expression instanceof RexCall call && (call.getKind() == SqlKind.CAST || ADDITIVE.contains(call.getKind())
                || PREFIX.contains(call.getKind()) || TIMES.contains(call.getKind()) || DIVIDE.contains(call.getKind())
                || call.getOperator().getName().equalsIgnoreCase("TRY_DIVIDE"))) {
            return call.getOperands().stream().allMatch(AggregateArgumentCheck::isConstant);
        }
        return false;
    }

    private static boolean isZero(RexNode expression) {
        RexNode inner = expression;
        while (inner instanceof RexCall call && call.getKind() == SqlKind.CAST) {
            inner = call.getOperands().get(0);
        }
        if (inner instanceof RexLiteral literal) {
            java.math.BigDecimal number = literal.getValueAs(java.math.BigDecimal.class);
            return number == null || number.signum() == 0;
        }
        return false; // a released value: a zero divides into NULL for every row alike
    }

    /**
     * Casts that keep every value: to a numeric type at least as wide, to a string of unbounded length,
     * between equal types (nullability only).
     */
    static boolean isWidening(RelDataType from, RelDataType to) {
        SqlTypeName source = from.getSqlTypeName();
        SqlTypeName target = to.getSqlTypeName();
        if (source == target && (from.getPrecision() <= to.getPrecision() || !target.allowsPrec())
                && from.getScale() <= to.getScale() + (target.allowsScale() ? 0 : Integer.MAX_VALUE / 2)) {
            return true;
        }
        if (SqlTypeFamily.CHARACTER.getTypeNames().contains(target)) {
            return to.getPrecision() == RelDataType.PRECISION_NOT_SPECIFIED || to.getPrecision() >= 65536;
        }
        if (SqlTypeFamily.NUMERIC.getTypeNames().contains(source) && SqlTypeFamily.NUMERIC.getTypeNames().contains(target)) {
            int rank = rank(source);
            if (target == SqlTypeName.DOUBLE) {
                return rank >= 0;
            }
            if (target == SqlTypeName.FLOAT || target == SqlTypeName.REAL) {
                // Spark's FLOAT and REAL are 32 bits (Calcite's FLOAT is a double): exact only for small
                // integers; a double or a large value rounds, or overflows to infinity for one person.
                return rank >= 0 && rank <= 1 || source == SqlTypeName.FLOAT || source == SqlTypeName.REAL;
            }
            if (target == SqlTypeName.DECIMAL) {
                int digits = switch (source) {
                    case TINYINT -> 3;
                    case SMALLINT -> 5;
                    case INTEGER -> 10;
                    case BIGINT -> 19;
                    default -> -1;
                };
                if (source == SqlTypeName.DECIMAL) {
                    return to.getScale() >= from.getScale()
                            && to.getPrecision() - to.getScale() >= from.getPrecision() - from.getScale();
                }
                return digits > 0 && to.getPrecision() - to.getScale() >= digits;
            }
            return rank >= 0 && rank(target) >= rank && rank(target) <= 3;
        }
        if (source == SqlTypeName.DATE && target == SqlTypeName.TIMESTAMP) {
            return true;
        }
        return source == SqlTypeName.BOOLEAN && target == SqlTypeName.BOOLEAN;
    }

    private static int rank(SqlTypeName type) {
        return switch (type) {
            case TINYINT -> 0;
            case SMALLINT -> 1;
            case INTEGER -> 2;
            case BIGINT -> 3;
            case DECIMAL -> 4;
            case REAL, FLOAT -> 5;
            case DOUBLE -> 6;
            default -> -1;
        };
    }

    private static int cases(RexNode expression) {
        int[] count = {0};
        expression.accept(new RexVisitorImpl<Void>(true) {
            @Override
            public Void visitCall(RexCall call) {
                if (call.getKind() == SqlKind.CASE) {
                    count[0]++;
                }
                return super.visitCall(call);
            }
        });
        return count[0];
    }
}
