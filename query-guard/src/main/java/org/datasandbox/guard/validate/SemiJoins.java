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
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.util.ImmutableIntList;
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
        if (current instanceof Filter filter && filter.getInput() instanceof Join join) {
            RelNode anti = toAntiJoin(filter, join, builder);
            if (anti != null) {
                return anti;
            }
        }
        if (current instanceof Aggregate aggregate && aggregate.getInput() instanceof Join join) {
            RelNode semi = toSemiJoin(aggregate, join, builder);
            if (semi != null) {
                return aggregate.copy(aggregate.getTraitSet(), semi, aggregate.getGroupSet(),
                        aggregate.getGroupSets(), aggregate.getAggCallList());
            }
        }
        return current;
    }

    /**
     * {@code NOT EXISTS} decorrelates into {@code Filter(marker IS NULL)} over a LEFT join with the
     * distinct keys of the sub-query plus a TRUE marker. That becomes an anti-join, under a projection
     * that keeps the right fields as NULLs so that nothing above changes.
     */
    private static RelNode toAntiJoin(Filter filter, Join join, RelBuilder builder) {
        if (join.getJoinType() != JoinRelType.LEFT || !(filter.getCondition() instanceof RexCall isNull)
                || isNull.getKind() != SqlKind.IS_NULL || !(isNull.getOperands().get(0) instanceof RexInputRef marker)
                || !(join.getRight() instanceof Project keysAndMarker)
                || !(keysAndMarker.getInput() instanceof Aggregate keys)
                || !keys.getAggCallList().isEmpty() || keys.getGroupType() != Aggregate.Group.SIMPLE) {
            return null;
        }
        int leftCount = join.getLeft().getRowType().getFieldCount();
        List<RexNode> projects = keysAndMarker.getProjects();
        int markerIndex = marker.getIndex() - leftCount;
        if (markerIndex < 0 || markerIndex >= projects.size() || !projects.get(markerIndex).isAlwaysTrue()) {
            return null;
        }
        JoinInfo info = join.analyzeCondition();
        if (!info.isEqui() || info.rightKeys.isEmpty()) {
            return null;
        }
        List<Integer> keyFields = new ArrayList<>();
        for (int rightKey : info.rightKeys) {
            if (!(projects.get(rightKey) instanceof RexInputRef ref) || ref.getIndex() >= keys.getGroupCount()) {
                return null;
            }
            keyFields.add(keys.getGroupSet().asList().get(ref.getIndex()));
        }
        builder.push(join.getLeft()).push(keys.getInput());
        RexNode condition = RelOptUtil.createEquiJoinCondition(builder.peek(2, 0), info.leftKeys,
                builder.peek(2, 1), ImmutableIntList.copyOf(keyFields), join.getCluster().getRexBuilder());
        builder.antiJoin(condition);
        List<RexNode> fields = new ArrayList<>();
        for (int i = 0; i < leftCount; i++) {
            fields.add(builder.field(i));
        }
        for (int i = leftCount; i < join.getRowType().getFieldCount(); i++) {
            fields.add(builder.getRexBuilder().makeNullLiteral(join.getRowType().getFieldList().get(i).getType()));
        }
        return builder.project(fields, join.getRowType().getFieldNames(), true).build();
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

    /**
     * Replaces every semi-join by an inner join with the distinct join keys of its right input, and every
     * anti-join by a left join with them and a marker that must be NULL.
     */
    public static RelNode expand(RelNode node, RelBuilder builder) {
        List<RelNode> inputs = new ArrayList<>();
        boolean changed = false;
        for (RelNode input : node.getInputs()) {
            RelNode rewritten = expand(input, builder);
            changed |= rewritten != input;
            inputs.add(rewritten);
        }
        RelNode current = changed ? node.copy(node.getTraitSet(), inputs) : node;
        if (!(current instanceof Join join)
                || join.getJoinType() != JoinRelType.SEMI && join.getJoinType() != JoinRelType.ANTI) {
            return current;
        }
        JoinInfo info = join.analyzeCondition();
        if (!info.isEqui()) {
            throw new IllegalStateException("a semi- or anti-join on a non-equality condition cannot be expanded");
        }
        int leftCount = join.getLeft().getRowType().getFieldCount();
        boolean anti = join.getJoinType() == JoinRelType.ANTI;
        builder.push(join.getLeft());
        builder.push(join.getRight());
        List<RexNode> keys = new ArrayList<>();
        for (int key : info.rightKeys) {
            keys.add(builder.field(key));
        }
        builder.project(keys).distinct();
        if (anti) {
            List<RexNode> withMarker = new ArrayList<>(builder.fields());
            withMarker.add(builder.literal(true));
            builder.project(withMarker);
        }
        List<RexNode> conditions = new ArrayList<>();
        for (int i = 0; i < info.leftKeys.size(); i++) {
            conditions.add(builder.equals(builder.field(2, 0, info.leftKeys.get(i)), builder.field(2, 1, i)));
        }
        builder.join(anti ? JoinRelType.LEFT : JoinRelType.INNER, conditions);
        if (anti) {
            builder.filter(builder.isNull(builder.field(leftCount + info.rightKeys.size())));
        }
        List<RexNode> leftFields = new ArrayList<>();
        for (int i = 0; i < leftCount; i++) {
            leftFields.add(builder.field(i));
        }
        return builder.project(leftFields, join.getLeft().getRowType().getFieldNames(), true).build();
    }
}
