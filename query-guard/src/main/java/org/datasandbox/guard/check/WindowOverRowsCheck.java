package org.datasandbox.guard.check;

import java.util.Locale;
import java.util.Set;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexOver;
import org.apache.calcite.sql.SqlKind;
import org.datasandbox.guard.analyze.Granularity;
import org.datasandbox.guard.explain.RuleId;
import org.datasandbox.guard.explain.Violation;

/**
 * Window functions are post-processing of aggregated rows only. Over individual rows they rank or
 * compare one person with another, which no threshold can protect.
 */
final class WindowOverRowsCheck implements PlanCheck {
    private static final Set<SqlKind> OVER_GROUPS = Set.of(
            SqlKind.ROW_NUMBER, SqlKind.RANK, SqlKind.DENSE_RANK, SqlKind.PERCENT_RANK, SqlKind.CUME_DIST,
            SqlKind.NTILE, SqlKind.SUM, SqlKind.SUM0, SqlKind.AVG, SqlKind.COUNT, SqlKind.MIN, SqlKind.MAX,
            SqlKind.LAG, SqlKind.LEAD);

    @Override
    public void check(RelNode node, CheckContext context) {
        if (!(node instanceof Project project)) {
            return;
        }
        boolean overRows = context.granularity(project.getInput()) == Granularity.ROWS;
        for (RexNode expression : project.getProjects()) {
            if (!RexOver.containsOver(expression)) {
                continue;
            }
            for (RexOver over : overs(expression)) {
                String name = over.getAggOperator().getName();
                if (overRows) {
                    context.report(Violation.of(RuleId.WINDOW_OVER_ROWS,
                            name.toLowerCase(Locale.ROOT) + " OVER (...) reads individual rows",
                            context.locator().call(name)).withSuggestion("aggregate first, then apply the window to the aggregated rows"));
                } else if (!OVER_GROUPS.contains(over.getAggOperator().getKind())) {
                    context.report(Violation.of(RuleId.FUNCTION_NOT_ALLOWED,
                            "window function " + name.toLowerCase(Locale.ROOT) + " is not allowed",
                            context.locator().call(name)));
                }
            }
        }
    }

    private static java.util.List<RexOver> overs(RexNode expression) {
        java.util.List<RexOver> found = new java.util.ArrayList<>();
        expression.accept(new org.apache.calcite.rex.RexVisitorImpl<Void>(true) {
            @Override
            public Void visitOver(RexOver over) {
                found.add(over);
                return super.visitOver(over);
            }
        });
        return found;
    }
}
