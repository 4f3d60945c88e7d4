package org.datasandbox.guard.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rex.RexVisitorImpl;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexTableInputRef;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.datasandbox.guard.analyze.Granularity;
import org.datasandbox.guard.catalog.ColumnRef;
import org.datasandbox.guard.catalog.ColumnRole;
import org.datasandbox.guard.catalog.GuardColumn;
import org.datasandbox.guard.explain.RuleId;
import org.datasandbox.guard.explain.Violation;

/**
 * Filters over individual rows may use dimensions, measures and sensitive attributes, and ranges of
 * quasi-identifiers. A filter that mentions a privacy unit or a direct identifier, or that pins a
 * quasi-identifier to exact values or narrow ranges ({@code birth_date = ...}, {@code age IN (...)},
 * {@code age BETWEEN 36 AND 38}), can only single people out. Applies to WHERE clauses, aggregate FILTER
 * clauses, conditions inside CASE and IF expressions, and join conditions: every part of an ON clause
 * that is not a comparison of the two sides' rows (a key, judged by the join rule) filters too, and so
 * does all of it when one side is a constant row ({@code JOIN (SELECT 4711 AS id) x ON r.person_id = x.id}). Conditions are simplified first, so that
 * {@code age >= 37 AND age <= 37} is seen as the point it is.
 */
final class IdentifierFilterCheck implements PlanCheck {

    @Override
    public void check(RelNode node, CheckContext context) {
        if (node instanceof Filter filter && context.granularity(filter.getInput()) == Granularity.ROWS) {
            checkCondition(filter.getInput(), filter.getCondition(), context);
        } else if (node instanceof Project project && context.granularity(project.getInput()) == Granularity.ROWS) {
            // Conditions inside CASE, IF and boolean expressions filter too: SUM(CASE WHEN id = 7 ...).
            for (RexNode predicate : embeddedPredicates(project.getProjects(), project.getCluster().getRexBuilder())) {
                checkCondition(project.getInput(), predicate, context);
            }
        } else if (node instanceof Join join && context.granularity(join) == Granularity.ROWS) {
            int leftCount = join.getLeft().getRowType().getFieldCount();
            boolean constantSide = context.granularity(join.getLeft()) != Granularity.ROWS
                    || context.granularity(join.getRight()) != Granularity.ROWS;
            for (RexNode conjunct : RelOptUtil.conjunctions(join.getCondition())) {
                var fields = RelOptUtil.InputFinder.bits(conjunct);
                boolean bothSides = fields.nextSetBit(0) >= 0 && fields.nextSetBit(0) < leftCount
                        && fields.nextSetBit(leftCount) >= 0;
                if (constantSide || !bothSides) {
                    checkCondition(join, conjunct, context);
                }
            }
        } else if (node instanceof Aggregate aggregate && context.granularity(aggregate.getInput()) == Granularity.ROWS) {
            for (AggregateCall call : aggregate.getAggCallList()) {
                if (call.filterArg >= 0) {
                    RelNode input = aggregate.getInput();
                    Optional<Set<RexNode>> expanded = context.expand(input, CheckContext.field(input, call.filterArg));
                    if (expanded.isEmpty()) {
                        checkColumns(context.columnsRead(input, CheckContext.field(input, call.filterArg)), false, context);
                    } else {
                        expanded.get().forEach(e -> checkExpanded(context.simplify(e), context));
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
        // with the conditions of each path of rows below, never those of two UNION ALL branches together
        List<List<RexNode>> paths = context.conditionsBelow(input);
        RexBuilder rex = input.getCluster().getRexBuilder();
        for (RexNode e : expanded.get()) {
            for (List<RexNode> below : paths) {
                List<RexNode> conjuncts = new ArrayList<>(below);
                conjuncts.add(e);
                RexNode combined = conjuncts.size() == 1 ? e : rex.makeCall(SqlStdOperatorTable.AND, conjuncts);
                int before = context.violations().size();
                checkExpanded(context.simplify(combined), context);
                if (context.violations().size() > before) {
                    return;
                }
            }
        }
    }

    /**
     * The conditions that decide which rows a projection's value depends on: CASE branches (each branch
     * taken when its condition holds and no earlier one did, and the else), IF, and other boolean
     * sub-expressions, outermost only.
     */
    private static List<RexNode> embeddedPredicates(List<RexNode> expressions, RexBuilder rex) {
        List<RexNode> found = new ArrayList<>();
        for (RexNode expression : expressions) {
            expression.accept(new RexVisitorImpl<Void>(true) {
                @Override
                public Void visitCall(RexCall call) {
                    if (call.getKind() == SqlKind.CASE) {
                        List<RexNode> notEarlier = new ArrayList<>();
                        List<RexNode> operands = call.getOperands();
                        for (int i = 0; i + 1 < operands.size(); i += 2) {
                            List<RexNode> branch = new ArrayList<>(notEarlier);
                            branch.add(operands.get(i));
                            found.add(branch.size() == 1 ? branch.get(0) : rex.makeCall(SqlStdOperatorTable.AND, branch));
                            notEarlier.add(rex.makeCall(SqlStdOperatorTable.NOT, operands.get(i)));
                            operands.get(i + 1).accept(this);
                        }
                        found.add(notEarlier.size() == 1 ? notEarlier.get(0) : rex.makeCall(SqlStdOperatorTable.AND, notEarlier));
                        operands.get(operands.size() - 1).accept(this);
                        return null;
                    }
                    if (call.getType().getSqlTypeName() == SqlTypeName.BOOLEAN) {
                        found.add(call);
                        return null;
                    }
                    return super.visitCall(call);
                }
            });
        }
        return found;
    }

    /** Walks a condition over base columns down to its predicates. */
    private static void checkExpanded(RexNode condition, CheckContext context) {
        if (condition instanceof RexCall and && and.getKind() == SqlKind.AND && narrowConjunction(and, context)) {
            return;
        }
        if (condition instanceof RexCall call && (call.getKind() == SqlKind.AND || call.getKind() == SqlKind.OR
                || call.getKind() == SqlKind.NOT)) {
            call.getOperands().forEach(o -> checkExpanded(o, context));
            return;
        }
        if ((condition.isA(SqlKind.IS_NULL) || condition.isA(SqlKind.IS_NOT_NULL))
                && ((RexCall) condition).getOperands().get(0) instanceof RexTableInputRef) {
            return; // whether a column has a value singles nobody out (joins and EXISTS add these)
        }
        checkColumns(org.datasandbox.guard.analyze.PlanAnalysis.columnsOf(condition), isRangeOrCoarse(condition, context), context);
    }

    /**
     * One-sided bounds on one numeric quasi-identifier that the simplifier left apart (it does not merge
     * them on every type): together they are a range, and a range narrower than a bucket is an exact value.
     */
    private static boolean narrowConjunction(RexCall and, CheckContext context) {
        java.util.Set<ColumnRef> columns = new java.util.TreeSet<>(org.datasandbox.guard.analyze.PlanAnalysis.columnsOf(and));
        for (ColumnRef ref : columns) {
            GuardColumn column = context.column(ref);
            if (column.role() != ColumnRole.QUASI_IDENTIFIER || !column.type().isNumeric()) {
                continue;
            }
            com.google.common.collect.RangeSet<java.math.BigDecimal> kept = BucketFilterCheck.conjunctRanges(and, ref);
            if (kept == null || kept.isEmpty()) {
                continue;
            }
            com.google.common.collect.Range<java.math.BigDecimal> span = kept.span();
            if (span.hasLowerBound() && span.hasUpperBound()) {
                double width = span.upperEndpoint().subtract(span.lowerEndpoint()).doubleValue();
                double minimum = column.bucketing().map(b -> b.minWidth()).orElse(10) - 1;
                if (width < minimum) {
                    context.report(Violation.of(RuleId.IDENTIFIER_FILTER, "exact value of " + ref + " (a range narrower than a bucket)",
                                    context.locator().column(ref.column()))
                            .withSuggestion("filter on a range at least one bucket wide"));
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isRangeOrCoarse(RexNode predicate, CheckContext context) {
        return context.coarsening().isCoarse(predicate) || context.ranges().isCoarseRange(predicate);
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
