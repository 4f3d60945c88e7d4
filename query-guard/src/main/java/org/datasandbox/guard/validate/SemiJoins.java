package org.datasandbox.guard.validate;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinInfo;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.tools.RelBuilder;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * {@code COUNT(*) ... WHERE x IN (SELECT ...)} decorrelates into an aggregate directly over an inner
 * join with a distinct aggregate of the sub-query's keys. Calcite's semi-join rules need a projection in
 * between; this pass handles the aggregate case, so that the checks see a semi-join on the real key
 * instead of a group-by on it. Before unparsing, {@link #expand} turns semi-joins back into joins with the
 * distinct keys, because Calcite unparses a semi-join as a correlated EXISTS whose unqualified key
 * Spark resolves against the inner table, which makes the condition always true.
 */
public final class SemiJoins {
    private SemiJoins() {
    }

    static RelNode rewrite(RelNode node, RelBuilder builder) {
        List<RelNode> inputs = new ArrayList<>();
        boolean changed = false;
        for (RelNode input : node.getInputs()) {
            RelNode rewritten = rewrite(input, builder);
            changed |= rewritten != input;
            inputs.add(rewritten);
        }
        RelNode current = changed ? node.copy(node.getTraitSet(), inputs) : node;
        if (current instanceof Aggregate aggregate && aggregate.getInput() instanceof Join join) {
            RelNode semi = toSemiJoin(aggregate, join, builder);
            if (semi != null) {
                return aggregate.copy(aggregate.getTraitSet(), semi, aggregate.getGroupSet(),
                        aggregate.getGroupSets(), aggregate.getAggCallList());
            }
        }
        return current;
    }

    private static RelNode toSemiJoin(Aggregate parent, Join join, RelBuilder builder) {
        if (join.getJoinType() != JoinRelType.INNER || !(join.getRight() instanceof Aggregate keys)
                || !keys.getAggCallList().isEmpty() || keys.getGroupType() != Aggregate.Group.SIMPLE) {
            return null;
        }
        int leftCount = join.getLeft().getRowType().getFieldCount();
        ImmutableBitSet used = parent.getGroupSet();
        for (AggregateCall call : parent.getAggCallList()) {
            used = used.union(ImmutableBitSet.of(call.getArgList()));
            if (call.filterArg >= 0) {
                used = used.set(call.filterArg);
            }
        }
        JoinInfo info = join.analyzeCondition();
        if (!info.isEqui() || used.intersects(ImmutableBitSet.range(leftCount, leftCount + keys.getGroupCount()))
                || !info.rightSet().equals(ImmutableBitSet.range(keys.getGroupCount()))) {
            return null;
        }
        List<Integer> rightKeys = new ArrayList<>();
        List<Integer> groupKeys = keys.getGroupSet().asList();
        for (int key : info.rightKeys) {
            rightKeys.add(groupKeys.get(key));
        }
        builder.push(join.getLeft()).push(keys.getInput());
        RexNode condition = RelOptUtil.createEquiJoinCondition(builder.peek(2, 0), info.leftKeys,
                builder.peek(2, 1), org.apache.calcite.util.ImmutableIntList.copyOf(rightKeys),
                join.getCluster().getRexBuilder());
        return builder.semiJoin(condition).build();
    }

    /** Replaces every semi-join by an inner join with the distinct join keys of its right input. */
    public static RelNode expand(RelNode node, RelBuilder builder) {
        List<RelNode> inputs = new ArrayList<>();
        boolean changed = false;
        for (RelNode input : node.getInputs()) {
            RelNode rewritten = expand(input, builder);
            changed |= rewritten != input;
            inputs.add(rewritten);
        }
        RelNode current = changed ? node.copy(node.getTraitSet(), inputs) : node;
        if (!(current instanceof Join join) || join.getJoinType() != JoinRelType.SEMI) {
            return current;
        }
        JoinInfo info = join.analyzeCondition();
        if (!info.isEqui()) {
            throw new IllegalStateException("a semi-join on a non-equality condition cannot be expanded");
        }
        int leftCount = join.getLeft().getRowType().getFieldCount();
        builder.push(join.getLeft());
        builder.push(join.getRight());
        List<RexNode> keys = new ArrayList<>();
        for (int key : info.rightKeys) {
            keys.add(builder.field(key));
        }
        builder.project(keys).distinct();
        List<RexNode> conditions = new ArrayList<>();
        for (int i = 0; i < info.leftKeys.size(); i++) {
            conditions.add(builder.equals(builder.field(2, 0, info.leftKeys.get(i)), builder.field(2, 1, i)));
        }
        builder.join(JoinRelType.INNER, conditions);
        List<RexNode> leftFields = new ArrayList<>();
        for (int i = 0; i < leftCount; i++) {
            leftFields.add(builder.field(i));
        }
        return builder.project(leftFields, join.getLeft().getRowType().getFieldNames(), true).build();
    }
}
