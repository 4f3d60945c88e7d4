package org.datasandbox.guard.rewrite;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.core.Union;
import org.apache.calcite.rel.core.Values;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.tools.RelBuilder;
import org.datasandbox.guard.analyze.Granularity;
import org.datasandbox.guard.analyze.PlanAnalysis;
import org.datasandbox.guard.catalog.Scenario;
import org.datasandbox.guard.validate.ScenarioSchema;

/**
 * Threshold mode: each aggregate over individual rows also computes {@code COUNT(DISTINCT privacy unit)}
 * and keeps only groups where it reaches k. To count privacy units the aggregate's input must carry one,
 * so the rewrite threads the privacy-unit column up from the table scans through projections, filters,
 * joins and UNION ALL, always as the last field so that no existing field reference moves. A filtered
 * aggregate ({@code COUNT(*) FILTER (WHERE ...)}, {@code count_if}, a PIVOT column) is a cell of its
 * own: the filtered cells of a row are released only if every one of them has k privacy units, and as
 * NULLs otherwise. A scenario may ask for small groups to be merged into one remainder group with NULL
 * keys instead of dropped.
 * Aggregates over already-aggregated rows are left alone: their inputs are thresholded groups.
 */
public final class MinGroupSizeRewrite {
    private static final String COUNT_FIELD = "__privacy_units";
    private static final String UNIT_FIELD = "__privacy_unit";
    private static final String CELL_FIELD = "__cell_privacy_units_";

    private final PlanAnalysis analysis;
    private final ScenarioSchema schema;
    private final RelBuilder builder;
    private final int k;
    private final Scenario.SmallGroups smallGroups;

    public MinGroupSizeRewrite(PlanAnalysis analysis, ScenarioSchema schema, RelBuilder builder, int k,
                               Scenario.SmallGroups smallGroups) {
        this.analysis = analysis;
        this.schema = schema;
        this.builder = builder;
        this.k = k;
        this.smallGroups = smallGroups;
    }

    /** The plan with every aggregate over rows thresholded; the same object when nothing needed it. */
    public RelNode rewrite(RelNode node) {
        if (node instanceof Aggregate aggregate && analysis.granularity(aggregate.getInput()) == Granularity.ROWS) {
            return threshold(aggregate);
        }
        List<RelNode> inputs = new ArrayList<>();
        boolean changed = false;
        for (RelNode input : node.getInputs()) {
            RelNode rewritten = rewrite(input);
            changed |= rewritten != input;
            inputs.add(rewritten);
        }
        return changed ? node.copy(node.getTraitSet(), inputs) : node;
    }

    private RelNode threshold(Aggregate aggregate) {
        RelNode input = rewrite(aggregate.getInput()); // thresholds aggregates nested in joins below
        RexBuilder rex = aggregate.getCluster().getRexBuilder();
        Cells.Result cells = Cells.of(input, aggregate.getAggCallList(), rex);
        Carried carried = carry(cells.input());
        if (carried == null) {
            throw new IllegalStateException("aggregate over rows without a privacy unit");
        }
        if (smallGroups == Scenario.SmallGroups.MERGE && !aggregate.getGroupSet().isEmpty()) {
            carried = mergeSmallGroups(carried, aggregate.getGroupSet().asList());
        }
        builder.push(carried.node());
        List<RelBuilder.AggCall> calls = new ArrayList<>();
        for (AggregateCall call : aggregate.getAggCallList()) {
            calls.add(builder.aggregateCall(call));
        }
        calls.add(builder.count(true, COUNT_FIELD, builder.field(carried.unitField())));
        // Conditional aggregates (FILTER, count_if, CASE inside the argument, PIVOT columns) describe
        // subsets of their group: every such cell, and the rest of the group, needs its own k people.
        int groupCount = aggregate.getGroupCount();
        List<Integer> cellCounts = new ArrayList<>();
        List<Integer> conditional = new ArrayList<>();
        for (Map.Entry<Integer, List<RexNode>> entry : cells.conditions().entrySet()) {
            conditional.add(groupCount + entry.getKey());
            for (RexNode condition : entry.getValue()) {
                cellCounts.add(groupCount + calls.size());
                calls.add(builder.count(true, CELL_FIELD + cellCounts.size(), builder.field(carried.unitField()))
                        .filter(condition));
            }
        }
        builder.aggregate(builder.groupKey(aggregate.getGroupSet()), calls);
        int countField = groupCount + aggregate.getAggCallList().size();
        builder.filter(builder.greaterThanOrEqual(builder.field(countField), builder.literal(k)));
        // All cells of a row are released together or not at all: with the group total and the other
        // cells released, one suppressed cell could be computed by subtraction.
        List<RexNode> cellChecks = new ArrayList<>();
        for (int cell : cellCounts) {
            cellChecks.add(builder.greaterThanOrEqual(builder.field(cell), builder.literal(k)));
        }
        RexNode cellsSafe = cellChecks.isEmpty() ? null : builder.and(cellChecks);
        List<RexNode> kept = new ArrayList<>();
        for (int i = 0; i < countField; i++) {
            RexNode field = builder.field(i);
            if (conditional.contains(i)) {
                RexNode suppressed = builder.call(SqlStdOperatorTable.CASE, cellsSafe, field,
                        rex.makeNullLiteral(field.getType()));
                // keep the declared type so that the plan above stays valid; Spark returns the NULL
                field = rex.makeAbstractCast(aggregate.getRowType().getFieldList().get(i).getType(), suppressed, false);
            }
            kept.add(field);
        }
        builder.project(kept, aggregate.getRowType().getFieldNames(), true);
        return builder.build();
    }

    /**
     * Rows of groups below k get NULL group keys, so that they aggregate into one remainder group (which
     * must reach k itself). The group sizes come from the same input joined back on the keys, with
     * NULL-safe equality since keys may be NULL already.
     */
    private Carried mergeSmallGroups(Carried rows, List<Integer> keys) {
        RelNode input = rows.node();
        int width = input.getRowType().getFieldCount();
        builder.push(input);
        builder.aggregate(builder.groupKey(keys.stream().mapToInt(Integer::intValue).toArray()),
                builder.count(true, "__group_units", builder.field(rows.unitField())));
        RelNode sizes = builder.build();
        builder.push(input).push(sizes);
        List<RexNode> on = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            on.add(builder.isNotDistinctFrom(builder.field(2, 0, keys.get(i)), builder.field(2, 1, i)));
        }
        builder.join(JoinRelType.INNER, on);
        RexNode large = builder.greaterThanOrEqual(builder.field(width + keys.size()), builder.literal(k));
        RexBuilder rex = builder.getRexBuilder();
        List<RexNode> fields = new ArrayList<>();
        for (int i = 0; i < width; i++) {
            RexNode field = builder.field(i);
            if (keys.contains(i)) {
                RelDataType nullable = rex.getTypeFactory().createTypeWithNullability(field.getType(), true);
                field = builder.call(SqlStdOperatorTable.CASE, large, rex.makeCast(nullable, field, true, false),
                        rex.makeNullLiteral(nullable));
            }
            fields.add(field);
        }
        builder.project(fields, input.getRowType().getFieldNames(), true);
        return new Carried(builder.build(), rows.unitField());
    }

    /** A rewritten row-level node and the field that holds its privacy unit. */
    private record Carried(RelNode node, int unitField) {
    }

    /** The node with its privacy unit appended as the last field, or null for literal rows. */
    private Carried carry(RelNode node) {
        if (node instanceof TableScan scan) {
            List<String> name = scan.getTable().getQualifiedName();
            String unit = schema.table(name.get(name.size() - 1)).orElseThrow().privacyUnit().name();
            int field = scan.getRowType().getFieldNames().stream().map(String::toLowerCase).toList()
                    .indexOf(unit.toLowerCase(java.util.Locale.ROOT));
            if (field < 0) {
                throw new IllegalStateException("the privacy unit of " + name + " is not granted");
            }
            // Under its own name, so that no alias of the query (SELECT year AS id) can shadow it.
            builder.push(scan);
            List<RexNode> fields = new ArrayList<>(builder.fields());
            fields.add(builder.field(field));
            List<String> names = new ArrayList<>(scan.getRowType().getFieldNames());
            names.add(UNIT_FIELD);
            return new Carried(builder.project(fields, names, true).build(), fields.size() - 1);
        }
        if (node instanceof Values) {
            return null;
        }
        if (node instanceof Project project) {
            Carried input = carry(project.getInput());
            if (input == null) {
                return null;
            }
            List<RexNode> projects = new ArrayList<>(project.getProjects());
            List<String> names = new ArrayList<>(project.getRowType().getFieldNames());
            projects.add(RexInputRef.of(input.unitField(), input.node().getRowType()));
            names.add(UNIT_FIELD);
            RelNode copy = builder.push(input.node()).project(projects, names, true).build();
            return new Carried(copy, projects.size() - 1);
        }
        if (node instanceof Filter filter) {
            Carried input = carry(filter.getInput());
            return input == null ? null
                    : new Carried(filter.copy(filter.getTraitSet(), input.node(), filter.getCondition()), input.unitField());
        }
        if (node instanceof Sort sort) {
            Carried input = carry(sort.getInput());
            return input == null ? null : new Carried(sort.copy(sort.getTraitSet(), List.of(input.node())), input.unitField());
        }
        if (node instanceof Join join) {
            return carryThroughJoin(join);
        }
        if (node instanceof Union union && union.all) {
            return carryThroughUnion(union);
        }
        throw new IllegalStateException("cannot carry a privacy unit through " + node.getRelTypeName());
    }

    private Carried carryThroughJoin(Join join) {
        int leftCount = join.getLeft().getRowType().getFieldCount();
        int rightCount = join.getRight().getRowType().getFieldCount();
        boolean leftRows = analysis.granularity(join.getLeft()) == Granularity.ROWS;
        boolean rightRows = analysis.granularity(join.getRight()) == Granularity.ROWS;
        // Count units of the side whose rows always survive the join: the right side of a RIGHT join,
        // either side of an INNER join, otherwise the left. Units lost to NULL are undercounted: safe.
        boolean useRight = rightRows && join.getJoinType().projectsRight()
                && (!leftRows || join.getJoinType() == JoinRelType.RIGHT || join.getJoinType() == JoinRelType.INNER);
        if (useRight) {
            Carried right = carry(join.getRight());
            if (right != null) {
                RelNode copy = join.copy(join.getTraitSet(), join.getCondition(), join.getLeft(), right.node(),
                        join.getJoinType(), join.isSemiJoinDone());
                return new Carried(copy, leftCount + right.unitField());
            }
        }
        Carried left = carry(join.getLeft());
        if (left == null) {
            return null;
        }
        // The left input grew by one field at its end: shift references to right fields by one.
        RexNode condition = join.getCondition().accept(new RexShuttle() {
            @Override
            public RexNode visitInputRef(RexInputRef ref) {
                return ref.getIndex() >= leftCount ? new RexInputRef(ref.getIndex() + 1, ref.getType()) : ref;
            }
        });
        RelNode copy = join.copy(join.getTraitSet(), condition, left.node(), join.getRight(),
                join.getJoinType(), join.isSemiJoinDone());
        if (!join.getJoinType().projectsRight()) {
            return new Carried(copy, left.unitField());
        }
        // Restore the original field order, with the privacy unit last.
        builder.push(copy);
        List<RexNode> fields = new ArrayList<>();
        for (int i = 0; i < leftCount; i++) {
            fields.add(builder.field(i));
        }
        for (int i = 0; i < rightCount; i++) {
            fields.add(builder.field(leftCount + 1 + i));
        }
        fields.add(builder.field(left.unitField()));
        List<String> names = new ArrayList<>(join.getRowType().getFieldNames());
        names.add(UNIT_FIELD);
        return new Carried(builder.project(fields, names, true).build(), leftCount + rightCount);
    }

    private Carried carryThroughUnion(Union union) {
        List<Carried> branches = new ArrayList<>();
        List<RelDataType> unitTypes = new ArrayList<>();
        for (RelNode input : union.getInputs()) {
            Carried branch = carry(input);
            branches.add(branch);
            if (branch != null) {
                unitTypes.add(branch.node().getRowType().getFieldList().get(branch.unitField()).getType());
            }
        }
        if (unitTypes.isEmpty()) {
            return null;
        }
        RexBuilder rex = union.getCluster().getRexBuilder();
        RelDataType unitType = rex.getTypeFactory().createTypeWithNullability(
                rex.getTypeFactory().leastRestrictive(unitTypes), true);
        List<RelNode> inputs = new ArrayList<>();
        for (int b = 0; b < branches.size(); b++) {
            Carried branch = branches.get(b);
            RelNode original = union.getInputs().get(b);
            RelNode source = branch == null ? original : branch.node();
            builder.push(source);
            List<RexNode> fields = new ArrayList<>();
            for (int i = 0; i < original.getRowType().getFieldCount(); i++) {
                fields.add(builder.field(i));
            }
            // Literal rows contribute no privacy unit: NULL is not counted by COUNT(DISTINCT).
            fields.add(branch == null ? rex.makeNullLiteral(unitType)
                    : rex.makeCast(unitType, builder.field(branch.unitField()), true, false));
            inputs.add(builder.project(fields).build());
        }
        RelNode copy = union.copy(union.getTraitSet(), inputs, true);
        return new Carried(copy, union.getRowType().getFieldCount());
    }
}
