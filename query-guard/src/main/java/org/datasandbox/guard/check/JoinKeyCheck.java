package org.datasandbox.guard.check;

import java.util.Optional;
import java.util.Set;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinInfo;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexTableInputRef;
import org.apache.calcite.sql.SqlKind;
import org.datasandbox.guard.analyze.Granularity;
import org.datasandbox.guard.analyze.PlanAnalysis;
import org.datasandbox.guard.catalog.ColumnRef;
import org.datasandbox.guard.catalog.ColumnRole;
import org.datasandbox.guard.catalog.GuardColumn;
import org.datasandbox.guard.explain.RuleId;
import org.datasandbox.guard.explain.Violation;

/**
 * Joins of individual rows must be equi-joins on a privacy unit with itself (a self-join) or on a
 * declared join key; anything else can link one person's record to another's. A join of rows with
 * aggregated rows must use dimensions of the row side. Joins of aggregated results are free.
 */
final class JoinKeyCheck implements PlanCheck {

    @Override
    public void check(RelNode node, CheckContext context) {
        if (!(node instanceof Join join)) {
            return;
        }
        boolean leftRows = context.granularity(join.getLeft()) == Granularity.ROWS;
        boolean rightRows = context.granularity(join.getRight()) == Granularity.ROWS;
        if (!leftRows && !rightRows) {
            return;
        }
        // Rows beside one released value (a scalar sub-query's total or average): each row gets the same
        // constant, as with a literal, whatever the condition.
        if (!leftRows && isSingleRow(join.getLeft()) || !rightRows && isSingleRow(join.getRight())) {
            return;
        }
        JoinInfo info = join.analyzeCondition();
        if (!info.isEqui() || info.leftKeys.isEmpty()) {
            reject(context, "only equality joins on declared keys are allowed");
            return;
        }
        for (int i = 0; i < info.leftKeys.size(); i++) {
            Optional<ColumnRef> left = directColumn(join.getLeft(), info.leftKeys.get(i), context);
            Optional<ColumnRef> right = directColumn(join.getRight(), info.rightKeys.get(i), context);
            boolean allowed;
            if (leftRows && rightRows) {
                allowed = left.isPresent() && right.isPresent() && isDeclared(left.get(), right.get(), context);
            } else {
                Optional<ColumnRef> rowSide = leftRows ? left : right;
                allowed = rowSide.isPresent() && isDimension(context.column(rowSide.get()));
            }
            if (!allowed) {
                String on = left.map(ColumnRef::toString).orElse("an expression") + " = "
                        + right.map(ColumnRef::toString).orElse("an expression");
                reject(context, "join on " + on + " is not a declared key");
                return;
            }
        }
    }

    /** An aggregate without GROUP BY, or one literal row, under projections, filters and sorts. */
    private static boolean isSingleRow(RelNode node) {
        RelNode current = node;
        while (current instanceof org.apache.calcite.rel.core.Project || current instanceof org.apache.calcite.rel.core.Filter
                || current instanceof org.apache.calcite.rel.core.Sort) {
            current = current.getInput(0);
        }
        return current instanceof org.apache.calcite.rel.core.Aggregate aggregate && aggregate.getGroupSet().isEmpty()
                && aggregate.getGroupType() == org.apache.calcite.rel.core.Aggregate.Group.SIMPLE
                || current instanceof org.apache.calcite.rel.core.Values values && values.getTuples().size() <= 1;
    }

    private static boolean isDeclared(ColumnRef a, ColumnRef b, CheckContext context) {
        boolean selfJoinOnUnit = a.equals(b) && context.column(a).role() == ColumnRole.PRIVACY_UNIT;
        return selfJoinOnUnit || context.catalog().joinKeys().stream().anyMatch(k -> k.connects(a, b));
    }

    private static boolean isDimension(GuardColumn column) {
        return column.role() == ColumnRole.DIMENSION || column.role() == ColumnRole.SENSITIVE_ATTRIBUTE;
    }

    /** The base column a join key is, if it is one column as stored (not an expression of it). */
    private static Optional<ColumnRef> directColumn(RelNode side, int key, CheckContext context) {
        Optional<Set<RexNode>> expanded = context.expand(side, CheckContext.field(side, key));
        if (expanded.isEmpty() || expanded.get().size() != 1) {
            return Optional.empty();
        }
        RexNode only = expanded.get().iterator().next();
        return only instanceof RexTableInputRef ref ? Optional.of(PlanAnalysis.ref(ref)) : Optional.empty();
    }

    private static void reject(CheckContext context, String detail) {
        context.report(Violation.of(RuleId.JOIN_NOT_ALLOWED, detail, context.locator().kind(SqlKind.JOIN))
                .withSuggestion("join on the privacy unit or a key declared in the policy"));
    }
}
