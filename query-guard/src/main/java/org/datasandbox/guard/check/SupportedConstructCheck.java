package org.datasandbox.guard.check;

import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.SetOp;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.core.Union;
import org.apache.calcite.rel.core.Values;
import org.apache.calcite.sql.SqlKind;
import org.datasandbox.guard.analyze.Granularity;
import org.datasandbox.guard.explain.RuleId;
import org.datasandbox.guard.explain.Violation;

/**
 * Only plan shapes the guard fully understands may run: scans, projections, filters, aggregates, joins,
 * UNION ALL, sorts and literal rows. Distinct set operations over individual rows, lateral joins, table
 * functions and anything else are refused rather than guessed at.
 */
final class SupportedConstructCheck implements PlanCheck {

    @Override
    public void check(RelNode node, CheckContext context) {
        boolean known = node instanceof TableScan || node instanceof Project || node instanceof Filter
                || node instanceof Aggregate || node instanceof Join || node instanceof Sort
                || node instanceof Values || node instanceof SetOp;
        if (!known) {
            context.report(Violation.of(RuleId.UNSUPPORTED_CONSTRUCT,
                    describe(node) + " is not supported", context.locator().kind(SqlKind.LATERAL)));
            return;
        }
        if (node instanceof SetOp setOp && context.granularity(node) == Granularity.ROWS
                && !(setOp instanceof Union && setOp.all)) {
            context.report(Violation.of(RuleId.UNSUPPORTED_CONSTRUCT,
                    setOp.kind.lowerName + " over individual rows is not supported",
                    context.locator().kind(setOp.kind)).withSuggestion("use UNION ALL and aggregate the result"));
        }
    }

    private static String describe(RelNode node) {
        return node.getRelTypeName().replace("Logical", "").toLowerCase(java.util.Locale.ROOT);
    }
}
