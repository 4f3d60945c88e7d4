package org.datasandbox.guard.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.util.Sarg;
import org.datasandbox.guard.analyze.Granularity;
import org.datasandbox.guard.catalog.ColumnRef;
import org.datasandbox.guard.catalog.ColumnRole;
import org.datasandbox.guard.catalog.GuardColumn;
import org.datasandbox.guard.explain.RuleId;
import org.datasandbox.guard.explain.Violation;

/**
 * Filters over individual rows may use dimensions, measures and sensitive attributes, and ranges of
 * quasi-identifiers. A filter that mentions a privacy unit or a direct identifier, or that pins a
 * quasi-identifier to exact values ({@code birth_date = ...}, {@code age IN (...)}), can only single
 * people out. Applies to WHERE clauses and to aggregate FILTER clauses and conditional counts.
 */
final class IdentifierFilterCheck implements PlanCheck {

    @Override
    public void check(RelNode node, CheckContext context) {
        if (node instanceof Filter filter && context.granularity(filter.getInput()) == Granularity.ROWS) {
            checkCondition(filter.getInput(), filter.getCondition(), context);
        } else if (node instanceof Aggregate aggregate && context.granularity(aggregate.getInput()) == Granularity.ROWS) {
            for (AggregateCall call : aggregate.getAggCallList()) {
                if (call.filterArg >= 0) {
                    RelNode input = aggregate.getInput();
                    Optional<Set<RexNode>> expanded = context.expand(input, CheckContext.field(input, call.filterArg));
                    if (expanded.isEmpty()) {
                        checkColumns(context.columnsRead(input, CheckContext.field(input, call.filterArg)), false, context);
                    } else {
                        expanded.get().forEach(e -> checkExpanded(e, context));
                    }
                }
            }
        }
    }

    private static void checkCondition(RelNode input, RexNode condition, CheckContext context) {
        Optional<Set<RexNode>> expanded = context.expand(input, condition);
        if (expanded.isEmpty()) {
            // Untraceable: judge by the columns it reads, as if every use were an exact match.
            checkColumns(context.columnsRead(input, condition), false, context);
            return;
        }
        expanded.get().forEach(e -> checkExpanded(e, context));
    }

    /** Walks a condition over base columns down to its predicates. */
    private static void checkExpanded(RexNode condition, CheckContext context) {
        if (condition instanceof RexCall call && (call.getKind() == SqlKind.AND || call.getKind() == SqlKind.OR
                || call.getKind() == SqlKind.NOT)) {
            call.getOperands().forEach(o -> checkExpanded(o, context));
            return;
        }
        if (condition.isA(SqlKind.IS_NULL) || condition.isA(SqlKind.IS_NOT_NULL)) {
            return; // presence of a value singles nobody out (joins and EXISTS add these)
        }
        checkColumns(org.datasandbox.guard.analyze.PlanAnalysis.columnsOf(condition), isRangeOrCoarse(condition, context), context);
    }

    private static boolean isRangeOrCoarse(RexNode predicate, CheckContext context) {
        if (context.coarsening().isCoarse(predicate)) {
            return true;
        }
        if (!(predicate instanceof RexCall call)) {
            return false;
        }
        List<RexNode> operands = call.getOperands();
        return switch (call.getKind()) {
            case LESS_THAN, LESS_THAN_OR_EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL ->
                    operands.get(0) instanceof RexLiteral || operands.get(1) instanceof RexLiteral;
            case SEARCH -> operands.get(1) instanceof RexLiteral literal
                    && literal.getValueAs(Sarg.class) != null && literal.getValueAs(Sarg.class).pointCount == 0;
            default -> false;
        };
    }

    private static void checkColumns(Set<ColumnRef> columns, boolean rangeOrCoarse, CheckContext context) {
        List<ColumnRef> sorted = new ArrayList<>(columns);
        for (ColumnRef ref : sorted) {
            GuardColumn column = context.column(ref);
            String role = column.role().name().toLowerCase(Locale.ROOT).replace('_', ' ');
            if (column.role().isIdentifier()) {
                context.report(Violation.of(RuleId.IDENTIFIER_FILTER, "filter on " + ref + " (" + role + ")",
                        context.locator().column(ref.column())).withSuggestion("drop the condition on " + ref.column()));
                return;
            }
            if (column.role() == ColumnRole.QUASI_IDENTIFIER && !rangeOrCoarse) {
                context.report(Violation.of(RuleId.IDENTIFIER_FILTER, "exact value of " + ref + " (" + role + ")",
                                context.locator().column(ref.column()))
                        .withSuggestion("filter on a range, e.g. " + ref.column() + " >= ... AND " + ref.column() + " < ..."));
                return;
            }
        }
    }
}
