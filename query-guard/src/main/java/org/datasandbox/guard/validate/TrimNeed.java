package org.datasandbox.guard.validate;

import java.util.List;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * Whether Calcite's field trimmer could change a freshly converted plan. It removes what no consumer
 * reads: output fields of a node that its parent does not use (an aggregate call only a dropped column
 * needed, a projected column nobody reads) and the unread columns of a table below anything but a
 * projection (which it covers with a new projection), and projections that pass their input on unchanged.
 * A plan of projections, filters, aggregates and
 * sorts in which every node's every field is read by its parent, and every table is read through a
 * projection, is returned as it is, and trimming it is pure cost (a tenth of checking a simple GROUP BY):
 * only plans with something to remove, or with a node this test does not model, are trimmed.
 */
final class TrimNeed {
    private TrimNeed() {
    }

    /** Whether trimming may change the plan (true whenever in doubt). */
    static boolean mayTrim(RelNode root) {
        return mayTrim(root, ImmutableBitSet.range(root.getRowType().getFieldCount()), false);
    }

    private static boolean mayTrim(RelNode node, ImmutableBitSet used, boolean underProject) {
        int width = node.getRowType().getFieldCount();
        if (used.cardinality() != width) {
            // a field nobody reads: the trimmer drops it, except a table's columns under a projection
            return !(node instanceof TableScan && underProject);
        }
        if (node instanceof TableScan) {
            return !node.getInputs().isEmpty();
        }
        if (node instanceof Project project) {
            if (org.apache.calcite.rex.RexUtil.isIdentity(project.getProjects(), project.getInput().getRowType())) {
                return true; // the trimmer drops a projection that passes its input on as it is
            }
            return mayTrim(project.getInput(), read(project.getProjects()), true);
        }
        if (node instanceof Filter filter) {
            return mayTrim(filter.getInput(), used.union(RelOptUtil.InputFinder.bits(filter.getCondition())), false);
        }
        if (node instanceof Sort sort) {
            ImmutableBitSet.Builder keys = ImmutableBitSet.builder();
            for (RelFieldCollation collation : sort.getCollation().getFieldCollations()) {
                keys.set(collation.getFieldIndex());
            }
            if (sort.offset != null || sort.fetch != null) {
                return true;
            }
            return mayTrim(sort.getInput(), used.union(keys.build()), false);
        }
        if (node instanceof Aggregate aggregate && aggregate.getGroupType() == Aggregate.Group.SIMPLE) {
            ImmutableBitSet.Builder inputs = ImmutableBitSet.builder();
            inputs.addAll(aggregate.getGroupSet());
            for (AggregateCall call : aggregate.getAggCallList()) {
                inputs.addAll(call.getArgList());
                if (call.filterArg >= 0) {
                    inputs.set(call.filterArg);
                }
                if (call.distinctKeys != null || !call.collation.getFieldCollations().isEmpty()) {
                    return true;
                }
            }
            return mayTrim(aggregate.getInput(), inputs.build(), false);
        }
        return true; // joins, unions, values, windows, correlations: the trimmer's own business
    }

    private static ImmutableBitSet read(List<RexNode> expressions) {
        return RelOptUtil.InputFinder.bits(expressions, null);
    }
}
