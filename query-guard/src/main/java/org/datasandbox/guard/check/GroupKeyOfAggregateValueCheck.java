package org.datasandbox.guard.check;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Correlate;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.core.SetOp;
import org.apache.calcite.rel.core.Values;
import org.apache.calcite.rel.core.Window;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexOver;
import org.apache.calcite.rex.RexVisitorImpl;
import org.datasandbox.guard.analyze.Granularity;
import org.datasandbox.guard.explain.RuleId;
import org.datasandbox.guard.explain.Violation;

/**
 * A group key (or a DISTINCT, or a window's PARTITION BY) computed from an aggregate's value is post-processing,
 * allowed exactly when every value it reads has already been released by the mode's mechanism and it reads no
 * unit-level row (README "What the guard enforces", computations over aggregate values). Groups of groups keyed by
 * their counts ({@code GROUP BY n} over {@code SELECT hospital, COUNT(*) AS n ... GROUP BY hospital}) merge when
 * two released values tie: a function of the released rows alone, which the developer could compute from them.
 * <ul>
 *   <li>Threshold mode releases before the outer computation: the rewrite puts each aggregate's k-threshold (the
 *       group's {@code HAVING}, a cell's suppression to NULL) directly on that aggregate, under whatever reads it,
 *       so a grouping over aggregated rows reads released values only and is allowed. A grouping whose input still
 *       has unit-level rows (the aggregate's value joined back to people's rows, or to per-person values) is a
 *       release of its own whose groups one person re-draws by moving a value across a tie: refused.</li>
 *   <li>DP mode releases after Spark: the noise is added to the plan's output, so a key computed in the plan
 *       from an aggregate's value reads it before noise (and is released without noise): refused.</li>
 * </ul>
 * A per-person aggregate's value (its rows are people, judged as rows) is no aggregate's release; a key read from a
 * window value, or from a node the guard does not know, counts as an aggregate's value (deny by default).
 */
final class GroupKeyOfAggregateValueCheck implements PlanCheck {
    /** Whether the mode's mechanism applies to an aggregate before anything above it reads its values. */
    private final boolean releasedBeforeOuterComputation;

    GroupKeyOfAggregateValueCheck(boolean releasedBeforeOuterComputation) {
        this.releasedBeforeOuterComputation = releasedBeforeOuterComputation;
    }

    @Override
    public void check(RelNode node, CheckContext context) {
        if (!(node instanceof Project || node instanceof Window || node instanceof Aggregate)
                || readsReleasedRowsOnly(node.getInput(0), context)) {
            return;
        }
        if (node instanceof Project || node instanceof Window) {
            checkPartitions(node, context);
            return;
        }
        Aggregate aggregate = (Aggregate) node;
        for (int key : aggregate.getGroupSet()) {
            if (fromAggregateValue(aggregate.getInput(), key, context)) {
                context.report(Violation.of(RuleId.GROUP_BY_NOT_DIMENSION,
                                "grouping by a value computed from an aggregate: groups of equal values merge when"
                                        + " one person makes two values equal",
                                context.locator().grouping(aggregate.getInput().getRowType().getFieldNames().get(key)))
                        .withSuggestion("group by the dimensions the aggregate below was grouped by, or release the"
                                + " aggregate's rows as they are"));
                return;
            }
        }
    }

    /**
     * Post-processing: the rows a computation reads are aggregated rows (no unit-level row below them) and the mode
     * released them before the computation (threshold mode's rewrite thresholds each aggregate where it stands).
     */
    private boolean readsReleasedRowsOnly(RelNode input, CheckContext context) {
        return releasedBeforeOuterComputation && context.granularity(input) != Granularity.ROWS;
    }

    /**
     * A window's {@code PARTITION BY} groups rows as a {@code GROUP BY} does: partitions keyed by an aggregate's
     * value merge when one person makes two values equal ({@code COUNT(*) OVER (PARTITION BY COUNT(*))} over the
     * groups counted the ties, a cell one person moved: red team, round 22).
     */
    private static void checkPartitions(RelNode node, CheckContext context) {
        RelNode input = node.getInput(0);
        List<RexNode> keys = new ArrayList<>();
        if (node instanceof Project project) {
            for (RexNode expression : project.getProjects()) {
                expression.accept(new RexVisitorImpl<Void>(true) {
                    @Override
                    public Void visitOver(RexOver over) {
                        keys.addAll(over.getWindow().partitionKeys);
                        return super.visitOver(over);
                    }
                });
            }
        } else {
            Window window = (Window) node;
            for (Window.Group group : window.groups) {
                group.keys.forEach(field -> keys.add(RexInputRef.of(field, input.getRowType())));
            }
        }
        for (RexNode key : keys) {
            for (int read : RelOptUtil.InputFinder.bits(key)) {
                if (read < input.getRowType().getFieldCount() && fromAggregateValue(input, read, context)) {
                    context.report(Violation.of(RuleId.GROUP_BY_NOT_DIMENSION,
                                    "partitioning a window by a value computed from an aggregate: partitions of equal"
                                            + " values merge when one person makes two values equal",
                                    context.locator().kind(org.apache.calcite.sql.SqlKind.OVER))
                            .withSuggestion("partition by the dimensions the aggregate was grouped by, or by none"));
                    return;
                }
            }
        }
    }

    /** Whether a field of a node reads, at any depth, the value of an aggregate over more than one person. */
    private static boolean fromAggregateValue(RelNode node, int field, CheckContext context) {
        if (node instanceof TableScan || node instanceof Values) {
            return false;
        }
        if (node instanceof Filter || node instanceof Sort) {
            return fromAggregateValue(node.getInput(0), field, context);
        }
        if (node instanceof Project project) {
            RexNode expression = project.getProjects().get(field);
            if (RexOver.containsOver(expression)) {
                return true; // a window's value is an aggregate's value
            }
            for (int read : RelOptUtil.InputFinder.bits(expression)) {
                if (fromAggregateValue(project.getInput(), read, context)) {
                    return true;
                }
            }
            return false;
        }
        if (node instanceof Join join) {
            int leftCount = join.getLeft().getRowType().getFieldCount();
            return field < leftCount
                    ? fromAggregateValue(join.getLeft(), field, context)
                    : fromAggregateValue(join.getRight(), field - leftCount, context);
        }
        if (node instanceof Window window) {
            int inputCount = window.getInput().getRowType().getFieldCount();
            return field >= inputCount || fromAggregateValue(window.getInput(), field, context);
        }
        if (node instanceof Correlate correlate) {
            int leftCount = correlate.getLeft().getRowType().getFieldCount();
            return field < leftCount
                    ? fromAggregateValue(correlate.getLeft(), field, context)
                    : fromAggregateValue(correlate.getRight(), field - leftCount, context);
        }
        if (node instanceof SetOp) {
            for (RelNode input : node.getInputs()) {
                if (fromAggregateValue(input, field, context)) {
                    return true;
                }
            }
            return false;
        }
        if (node instanceof Aggregate aggregate) {
            if (field < aggregate.getGroupCount()) {
                return fromAggregateValue(aggregate.getInput(), aggregate.getGroupSet().nth(field), context);
            }
            // per-person values (visits per person) are data of one person, judged as rows above
            return !(context.granularity(aggregate) == Granularity.ROWS
                    && context.granularity(aggregate.getInput()) == Granularity.ROWS);
        }
        return true; // anything else: not traced, so not trusted
    }
}
