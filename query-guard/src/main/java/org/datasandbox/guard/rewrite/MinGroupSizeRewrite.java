package org.datasandbox.guard.rewrite;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.plan.RelOptUtil;
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
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.tools.RelBuilder;
import org.apache.calcite.util.ImmutableBitSet;
import org.datasandbox.guard.analyze.Granularity;
import org.datasandbox.guard.analyze.PlanAnalysis;
import org.datasandbox.guard.catalog.GuardTable;
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
 * <p>Units are counted with {@code COUNT(unit)} instead of {@code COUNT(DISTINCT unit)} where the plan
 * proves that no unit has two rows in the aggregate's input ({@link Carried#unique()}), and as rows,
 * {@code COUNT(*)}, where every row also has its unit ({@link Carried#present()}): a scan of a table
 * the catalog declares (and the runtime verified) one row per unit, kept by projections, filters, sorts,
 * UNION ALL branches, and joins that match each row of a side with at most one row of the other. The
 * rewritten SQL's shape depends only on the plan and the catalog, never on the data.
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
    /** Fields of rewritten nodes that are NULL on rows whose cells were suppressed (see {@link Cells#propagate}). */
    private final Map<RelNode, ImmutableBitSet> suppressible = new java.util.IdentityHashMap<>();

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
        if (node instanceof Aggregate aggregate && analysis.granularity(aggregate) == Granularity.GROUPS
                && analysis.granularity(aggregate.getInput()) == Granularity.ROWS) {
            return threshold(aggregate);
        }
        List<RelNode> inputs = new ArrayList<>();
        boolean changed = false;
        for (RelNode input : node.getInputs()) {
            RelNode rewritten = rewrite(input);
            changed |= rewritten != input;
            inputs.add(rewritten);
        }
        ImmutableBitSet below = inputs.size() == 1 ? suppressible.get(inputs.get(0)) : null;
        if (below != null && node instanceof Project project) {
            Cells.Propagated propagated = Cells.propagate(project, inputs.get(0), below, node.getCluster().getRexBuilder());
            suppressible.put(propagated.project(), propagated.suppressible());
            return propagated.project();
        }
        if (node instanceof Join) {
            below = joined(inputs);
        } else if (node instanceof Union) {
            below = united(inputs);
        }
        RelNode result = changed ? node.copy(node.getTraitSet(), inputs) : node;
        RexBuilder rex = node.getCluster().getRexBuilder();
        if (below != null && result instanceof Filter filter) {
            RexNode condition = Cells.propagateCondition(filter.getCondition(), inputs, below, rex);
            result = condition == filter.getCondition() ? result : filter.copy(filter.getTraitSet(), inputs.get(0), condition);
        } else if (below != null && result instanceof Join rewrittenJoin) {
            RexNode condition = Cells.propagateCondition(rewrittenJoin.getCondition(), inputs, below, rex);
            result = condition == rewrittenJoin.getCondition() ? result
                    : rewrittenJoin.copy(rewrittenJoin.getTraitSet(), condition, inputs.get(0), inputs.get(1),
                            rewrittenJoin.getJoinType(), rewrittenJoin.isSemiJoinDone());
        }
        if (below != null && (node instanceof Filter || node instanceof Sort)) {
            suppressible.put(result, below); // the same fields, NULL on the same rows
        } else if (below != null && node instanceof Union) {
            suppressible.put(result, below); // a field is NULL on the rows of any branch whose cell was suppressed
        } else if (below != null && node instanceof Join join) {
            // the output's fields: both inputs', or the left's alone for semi and anti joins
            ImmutableBitSet output = join.getJoinType().projectsRight() ? below
                    : below.intersect(ImmutableBitSet.range(inputs.get(0).getRowType().getFieldCount()));
            suppressible.put(result, output);
        }
        return result;
    }

    /** A join's suppressible fields: the left input's, then the right input's shifted past the left's. */
    private ImmutableBitSet joined(List<RelNode> inputs) {
        ImmutableBitSet left = suppressible.get(inputs.get(0));
        ImmutableBitSet right = suppressible.get(inputs.get(1));
        if (left == null && right == null) {
            return null;
        }
        int shift = inputs.get(0).getRowType().getFieldCount();
        ImmutableBitSet.Builder out = ImmutableBitSet.builder();
        if (left != null) {
            out.addAll(left);
        }
        if (right != null) {
            right.forEach(field -> out.set(field + shift));
        }
        return out.build();
    }

    /** A UNION ALL's suppressible fields: those of any branch (the fields line up). */
    private ImmutableBitSet united(List<RelNode> inputs) {
        ImmutableBitSet out = null;
        for (RelNode input : inputs) {
            ImmutableBitSet bits = suppressible.get(input);
            out = bits == null ? out : out == null ? bits : out.union(bits);
        }
        return out;
    }

    private RelNode threshold(Aggregate aggregate) {
        RelNode input = rewrite(aggregate.getInput()); // thresholds aggregates nested in joins below
        RexBuilder rex = aggregate.getCluster().getRexBuilder();
        Cells.Result cells = Cells.of(input, aggregate.getAggCallList(), rex);
        Carried carried = carry(cells.input());
        if (carried.slots() == 0) {
            throw new IllegalStateException("aggregate over rows without a privacy unit");
        }
        Units units = new Units(carried, rex);
        int groupUnit = units.field(ImmutableBitSet.range(carried.slots()));
        // Each value's own backing: the units of the scans its argument and condition derive from, counted
        // only on rows where the argument is non-NULL and the condition holds.
        List<AggregateCall> aggCalls = aggregate.getAggCallList();
        List<List<Integer>> valueUnits = new ArrayList<>();
        for (AggregateCall call : aggCalls) {
            ImmutableBitSet.Builder read = ImmutableBitSet.builder();
            call.getArgList().forEach(arg -> read.addAll(carried.deps().get(arg)));
            if (call.filterArg >= 0) {
                read.addAll(carried.deps().get(call.filterArg));
            }
            for (RexNode condition : cells.conditions().getOrDefault(valueUnits.size(), List.of())) {
                read.addAll(carried.depsOf(condition));
            }
            ImmutableBitSet scans = read.build();
            if (scans.isEmpty() && carried.slots() == 1) {
                valueUnits.add(List.of(groupUnit));
                continue;
            }
            if (scans.isEmpty()) { // COUNT(*) counts the rows of every scan
                scans = ImmutableBitSet.range(carried.slots());
            }
            // Every scan a value reads backs it with k units of its own: each side of a join (whose units
            // need not be the same people) and each UNION ALL branch (a branch of zeros computed from data,
            // 0 * income, must not lend its people to one person's value in another branch).
            List<Integer> fields = new ArrayList<>();
            for (int slot : scans) {
                fields.add(units.field(ImmutableBitSet.of(slot)));
            }
            valueUnits.add(fields);
        }
        Carried withUnits = units.node();
        // MIN and MAX see only the values that k units of their group share.
        List<AggregateCall> extremes = new ArrayList<>(aggCalls);
        for (int i = 0; i < extremes.size(); i++) {
            AggregateCall call = extremes.get(i);
            SqlKind kind = call.getAggregation().getKind();
            if ((kind == SqlKind.MIN || kind == SqlKind.MAX) && call.getArgList().size() == 1) {
                withUnits = sharedValues(withUnits, groupUnit, units.how(groupUnit), aggregate.getGroupSet().asList(),
                        call.getArgList().get(0));
                int shared = withUnits.node().getRowType().getFieldCount() - 1;
                extremes.set(i, call.copy(List.of(shared), call.filterArg, call.collation));
            }
        }
        aggCalls = extremes;
        if (smallGroups == Scenario.SmallGroups.MERGE && !aggregate.getGroupSet().isEmpty()) {
            withUnits = mergeSmallGroups(withUnits, groupUnit, units.how(groupUnit), aggregate.getGroupSet().asList());
        }
        builder.push(withUnits.node());
        List<RelBuilder.AggCall> calls = new ArrayList<>();
        for (AggregateCall call : aggCalls) {
            calls.add(builder.aggregateCall(call));
        }
        calls.add(units.how(groupUnit).count(builder, COUNT_FIELD, groupUnit));
        int groupCount = aggregate.getGroupCount();
        List<Integer> nullRowsRevealed = nullRowsRevealed(aggCalls, withUnits.node());
        Map<String, Integer> checks = new LinkedHashMap<>();
        List<Integer> checked = new ArrayList<>();
        for (int i = 0; i < aggCalls.size(); i++) {
            AggregateCall call = aggCalls.get(i);
            List<RexNode> conditions = new ArrayList<>();
            // The value itself: rows where every argument is non-NULL (and the FILTER holds). Skipped when
            // it is the group's own count: all scans, no filter, arguments that cannot be NULL.
            List<RexNode> backing = new ArrayList<>();
            for (int arg : call.getArgList()) {
                RexNode field = builder.field(arg);
                if (field.getType().isNullable()) {
                    backing.add(builder.isNotNull(field));
                }
            }
            boolean filtered = call.filterArg >= 0;
            if (filtered && !backing.isEmpty()) {
                backing.add(builder.call(SqlStdOperatorTable.IS_TRUE, builder.field(call.filterArg)));
            }
            // a FILTER without nullable arguments is checked as its cell below
            if (!backing.isEmpty() || !filtered && !valueUnits.get(i).equals(List.of(groupUnit))) {
                conditions.add(backing.isEmpty() ? builder.literal(true) : builder.and(backing));
            }
            // Conditional aggregates (FILTER, count_if, CASE inside the argument, PIVOT columns) describe
            // subsets of their group: every such cell, and the rest of the group, needs its own k people.
            conditions.addAll(cells.conditions().getOrDefault(i, List.of()));
            List<Map.Entry<RexNode, List<Integer>>> cellsOfValue = new ArrayList<>();
            for (RexNode condition : conditions) {
                cellsOfValue.add(Map.entry(condition, valueUnits.get(i)));
            }
            if (nullRowsRevealed.contains(i)) {
                // The NULL rows of an argument are mostly rows its own scans are absent from (the padding of
                // an outer join, the other UNION ALL branches), where their units are NULL too: those rows
                // are backed by the units they do carry, the group's (each row has one). Counted by the
                // argument's own units they were never k, and the whole row was suppressed.
                cellsOfValue.add(Map.entry(nullRows(call), List.of(groupUnit)));
            }
            for (Map.Entry<RexNode, List<Integer>> cell : cellsOfValue) {
                RexNode condition = cell.getKey();
                for (int unit : cell.getValue()) {
                    String key = unit + ":" + condition;
                    if (!checks.containsKey(key)) {
                        checks.put(key, groupCount + calls.size());
                        RelBuilder.AggCall count = units.how(unit).count(builder, CELL_FIELD + checks.size(), unit);
                        calls.add(condition.isAlwaysTrue() ? count : count.filter(condition));
                    }
                }
            }
            if (!cellsOfValue.isEmpty()) {
                checked.add(groupCount + i);
            }
        }
        builder.aggregate(builder.groupKey(aggregate.getGroupSet()), calls);
        int countField = groupCount + aggCalls.size();
        builder.filter(builder.greaterThanOrEqual(builder.field(countField), builder.literal(k)));
        // All values of a row are released together or not at all: with the group total and the other
        // cells released, one suppressed cell could be computed by subtraction.
        List<RexNode> cellChecks = new ArrayList<>();
        for (int cell : checks.values()) {
            cellChecks.add(builder.greaterThanOrEqual(builder.field(cell), builder.literal(k)));
        }
        RexNode cellsSafe = cellChecks.isEmpty() ? null : builder.and(cellChecks);
        List<RexNode> kept = new ArrayList<>();
        for (int i = 0; i < countField; i++) {
            RexNode field = builder.field(i);
            if (checked.contains(i)) {
                RexNode suppressed = builder.call(SqlStdOperatorTable.CASE, cellsSafe, field,
                        rex.makeNullLiteral(field.getType()));
                // Calcite needs the declared type for the plan above; Spark gets the CASE as it is, since
                // a cast to Calcite's type of the aggregate could change the value (AVG of DECIMAL(2,1)).
                RelDataType declared = aggregate.getRowType().getFieldList().get(i).getType();
                field = declared.equals(suppressed.getType()) ? suppressed
                        : rex.makeCall(declared, KeepType.INSTANCE, List.of(suppressed));
            }
            kept.add(field);
        }
        builder.project(kept, aggregate.getRowType().getFieldNames(), true);
        RelNode thresholded = builder.build();
        if (!checked.isEmpty()) {
            suppressible.put(thresholded, ImmutableBitSet.of(checked));
        }
        return thresholded;
    }

    /**
     * The calls whose NULL rows a row of the output gives away. A row that counts the rows where x is non-NULL
     * ({@code COUNT(x)}, or {@code SUM(x)} with {@code AVG(x)}) next to a count of other rows of the group
     * ({@code COUNT(*)}, {@code COUNT(y)}) tells by subtraction how many rows have x NULL: those rows are a
     * cell of their own, like the complement of a FILTER, and need k units too.
     */
    private static List<Integer> nullRowsRevealed(List<AggregateCall> calls, RelNode input) {
        java.util.Set<String> counted = new java.util.HashSet<>();
        List<Integer> nullable = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            AggregateCall call = calls.get(i);
            if (!countsRows(call, calls)) {
                continue;
            }
            counted.add(call.getArgList() + "/" + call.filterArg);
            if (call.getArgList().stream().anyMatch(a -> input.getRowType().getFieldList().get(a).getType().isNullable())) {
                nullable.add(i);
            }
        }
        return counted.size() > 1 ? nullable : List.of();
    }

    /** Whether a call's value is, or with another value of the row gives, a number of rows. */
    private static boolean countsRows(AggregateCall call, List<AggregateCall> calls) {
        SqlKind kind = call.getAggregation().getKind();
        if (kind == SqlKind.COUNT && !call.isDistinct()) {
            return true;
        }
        if (kind == SqlKind.AVG || kind == SqlKind.SUM || kind == SqlKind.SUM0) {
            SqlKind other = kind == SqlKind.AVG ? SqlKind.SUM : SqlKind.AVG;
            return calls.stream().anyMatch(c -> (c.getAggregation().getKind() == other
                    || other == SqlKind.SUM && c.getAggregation().getKind() == SqlKind.SUM0)
                    && c.getArgList().equals(call.getArgList()) && c.filterArg == call.filterArg);
        }
        return false;
    }

    /** The rows of the call's group (within its FILTER) where an argument is NULL. */
    private RexNode nullRows(AggregateCall call) {
        List<RexNode> nulls = new ArrayList<>();
        for (int arg : call.getArgList()) {
            nulls.add(builder.isNull(builder.field(arg)));
        }
        RexNode anyNull = nulls.size() == 1 ? nulls.get(0) : builder.or(nulls);
        return call.filterArg < 0 ? anyNull
                : builder.and(builder.call(SqlStdOperatorTable.IS_TRUE, builder.field(call.filterArg)), anyNull);
    }

    /**
     * The node with one more field: the value of {@code field} where at least k units of the row's group
     * hold that same value, NULL elsewhere. The counts come from the same input grouped by the keys and
     * the value, joined back with NULL-safe equality.
     */
    private Carried sharedValues(Carried rows, int unitField, UnitCount how, List<Integer> keys, int field) {
        RelNode input = rows.node();
        int width = input.getRowType().getFieldCount();
        List<Integer> by = new ArrayList<>(keys);
        if (!by.contains(field)) {
            by.add(field);
        }
        builder.push(input);
        builder.aggregate(builder.groupKey(by.stream().mapToInt(Integer::intValue).toArray()),
                how.count(builder, "__value_units", unitField));
        RelNode counts = builder.build();
        builder.push(input).push(counts);
        List<RexNode> on = new ArrayList<>();
        for (int i = 0; i < by.size(); i++) {
            on.add(builder.isNotDistinctFrom(builder.field(2, 0, by.get(i)), builder.field(2, 1, i)));
        }
        builder.join(JoinRelType.INNER, on);
        RexBuilder rex = builder.getRexBuilder();
        List<RexNode> fields = new ArrayList<>(builder.fields().subList(0, width));
        RexNode value = builder.field(field);
        RelDataType nullable = rex.getTypeFactory().createTypeWithNullability(value.getType(), true);
        fields.add(builder.call(SqlStdOperatorTable.CASE,
                builder.greaterThanOrEqual(builder.field(width + by.size()), builder.literal(k)),
                sameValue(rex, nullable, value), rex.makeNullLiteral(nullable)));
        List<String> names = new ArrayList<>(input.getRowType().getFieldNames());
        names.add("__shared_value_" + field);
        builder.project(fields, names, true);
        return rows.with(builder.build());
    }

    /**
     * Rows of groups below k get NULL group keys, so that they aggregate into one remainder group (which
     * must reach k itself). The group sizes come from the same input joined back on the keys, with
     * NULL-safe equality since keys may be NULL already.
     */
    private Carried mergeSmallGroups(Carried rows, int unitField, UnitCount how, List<Integer> keys) {
        RelNode input = rows.node();
        int width = input.getRowType().getFieldCount();
        builder.push(input);
        builder.aggregate(builder.groupKey(keys.stream().mapToInt(Integer::intValue).toArray()),
                how.count(builder, "__group_units", unitField));
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
                field = builder.call(SqlStdOperatorTable.CASE, large, sameValue(rex, nullable, field),
                        rex.makeNullLiteral(nullable));
            }
            fields.add(field);
        }
        builder.project(fields, input.getRowType().getFieldNames(), true);
        return rows.with(builder.build());
    }

    /**
     * The value with a nullable type for Calcite and nothing for Spark: a CAST to Calcite's type would
     * change a released key or extreme in Spark ({@code CHAR(5)} pads, {@code FLOAT} is 32 bits there).
     */
    private static RexNode sameValue(RexBuilder rex, RelDataType nullable, RexNode value) {
        return value.getType().equals(nullable) ? value : rex.makeCall(nullable, KeepType.INSTANCE, List.of(value));
    }

    /**
     * A rewritten row-level node: its original fields, then one privacy-unit field per table scan below
     * it (a slot), NULL on rows that hold no real row of that scan (the padded side of an outer join,
     * another branch of a UNION ALL); and for each field, the slots whose rows its value derives from.
     * {@code unique} are the slots whose every unit is on at most one row of the node; {@code present} the
     * slots whose unit is non-NULL on every row (a declared table's scan, not the padded side of an outer
     * join, not a UNION ALL); {@code keys}, per slot, the original fields that hold the slot's unit itself
     * on every row (both NULL on padding).
     */
    private record Carried(RelNode node, int width, int slots, List<ImmutableBitSet> deps, List<ImmutableBitSet> groups,
                           ImmutableBitSet unique, ImmutableBitSet present, List<ImmutableBitSet> keys) {
        Carried(RelNode node, int width, int slots, List<ImmutableBitSet> deps, List<ImmutableBitSet> groups) {
            this(node, width, slots, deps, groups, ImmutableBitSet.of(), ImmutableBitSet.of(),
                    Collections.nCopies(slots, ImmutableBitSet.of()));
        }

        Carried(RelNode node, int width, int slots, List<ImmutableBitSet> deps) {
            this(node, width, slots, deps, slots == 0 ? List.of() : List.of(ImmutableBitSet.range(slots)));
        }

        Carried {
            keys = List.copyOf(keys);
            if (keys.size() != slots || unique.length() > slots || present.length() > slots) {
                throw new IllegalArgumentException("unit facts for " + slots + " slots");
            }
        }

        Carried with(RelNode other) {
            return new Carried(other, width, slots, deps, groups, unique, present, keys);
        }

        Carried withUnits(ImmutableBitSet uniqueSlots, ImmutableBitSet presentSlots, List<ImmutableBitSet> slotKeys) {
            return new Carried(node, width, slots, deps, groups, uniqueSlots, presentSlots, slotKeys);
        }

        int slotField(int slot) {
            return width + slot;
        }

        /** The slots an expression over this node's fields derives from. */
        ImmutableBitSet depsOf(RexNode expression) {
            ImmutableBitSet.Builder read = ImmutableBitSet.builder();
            for (int field : RelOptUtil.InputFinder.bits(expression)) {
                if (field < deps.size()) {
                    read.addAll(deps.get(field));
                }
            }
            return read.build();
        }
    }

    /**
     * The unit fields the counts use, appended to a carried node: one slot's field as it is, several
     * slots' units merged with COALESCE (at most one of them is non-NULL on a row of a UNION ALL; on a
     * joined row they are the same person, the join being on the privacy unit or a declared key).
     */
    private final class Units {
        private final Carried carried;
        private final RexBuilder rex;
        private final Map<ImmutableBitSet, Integer> fields = new LinkedHashMap<>();
        private final List<RexNode> merged = new ArrayList<>();

        Units(Carried carried, RexBuilder rex) {
            this.carried = carried;
            this.rex = rex;
        }

        int field(ImmutableBitSet slots) {
            if (slots.cardinality() == 1) {
                return carried.slotField(slots.nth(0));
            }
            return fields.computeIfAbsent(slots, s -> {
                List<RexNode> units = new ArrayList<>();
                List<RelDataType> types = new ArrayList<>();
                for (int slot : s) {
                    RexNode unit = RexInputRef.of(carried.slotField(slot), carried.node().getRowType());
                    units.add(unit);
                    types.add(unit.getType());
                }
                RelDataTypeFactory factory = rex.getTypeFactory();
                RelDataType common = factory.leastRestrictive(types);
                if (common == null) { // units of different kinds: compare them as strings
                    common = factory.createSqlType(SqlTypeName.VARCHAR);
                }
                RelDataType type = factory.createTypeWithNullability(common, true);
                List<RexNode> operands = units.stream().map(u -> rex.makeCast(type, u, true, false)).toList();
                merged.add(rex.makeCall(SqlStdOperatorTable.COALESCE, operands));
                return carried.node().getRowType().getFieldCount() + merged.size() - 1;
            });
        }

        /**
         * How to count the units of a field: DISTINCT for merged slots (one person may be behind rows of
         * several slots) and for a slot whose units may repeat; the non-NULL values of a slot whose units
         * are each on one row at most; the rows themselves where, in addition, every row has its unit.
         */
        UnitCount how(int field) {
            for (int slot : carried.unique()) {
                if (field == carried.slotField(slot)) {
                    return carried.present().get(slot) ? UnitCount.ROWS : UnitCount.NON_NULL;
                }
            }
            return UnitCount.DISTINCT;
        }

        /** The carried node with the merged units as extra fields (the same node when none was needed). */
        Carried node() {
            if (merged.isEmpty()) {
                return carried;
            }
            builder.push(carried.node());
            List<RexNode> all = new ArrayList<>(builder.fields());
            all.addAll(merged);
            List<String> names = new ArrayList<>(carried.node().getRowType().getFieldNames());
            for (int i = 0; i < merged.size(); i++) {
                names.add(UNIT_FIELD + "s_" + i);
            }
            return carried.with(builder.project(all, names, true).build());
        }
    }

    /** How a count of units is computed; each gives {@code COUNT(DISTINCT unit)} on the rows it is used for. */
    private enum UnitCount {
        DISTINCT, NON_NULL, ROWS;

        RelBuilder.AggCall count(RelBuilder builder, String name, int unitField) {
            return switch (this) {
                case DISTINCT -> builder.count(true, name, builder.field(unitField));
                case NON_NULL -> builder.count(false, name, builder.field(unitField));
                case ROWS -> builder.countStar(name);
            };
        }
    }

    /** The node with one privacy-unit field per table scan below it appended (none for aggregated rows). */
    private Carried carry(RelNode node) {
        int width = node.getRowType().getFieldCount();
        if (analysis.granularity(node) != Granularity.ROWS) {
            // Literal rows, and groups that were thresholded on their own: no unit stands behind them.
            return new Carried(node, width, 0, Collections.nCopies(width, ImmutableBitSet.of()));
        }
        if (node instanceof TableScan scan) {
            List<String> name = scan.getTable().getQualifiedName();
            GuardTable table = schema.table(name.get(name.size() - 1)).orElseThrow();
            String unit = table.privacyUnit().name();
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
            return new Carried(builder.project(fields, names, true).build(), width, 1,
                    Collections.nCopies(width, ImmutableBitSet.of(0)))
                    .withUnits(table.oneRowPerUnit() ? ImmutableBitSet.of(0) : ImmutableBitSet.of(),
                            table.oneRowPerUnit() ? ImmutableBitSet.of(0) : ImmutableBitSet.of(), List.of(ImmutableBitSet.of(field)));
        }
        if (node instanceof Project project) {
            Carried input = carry(project.getInput());
            List<RexNode> projects = new ArrayList<>(project.getProjects());
            List<String> names = new ArrayList<>(project.getRowType().getFieldNames());
            List<ImmutableBitSet> deps = new ArrayList<>();
            for (RexNode expression : project.getProjects()) {
                deps.add(input.depsOf(expression));
            }
            for (int slot = 0; slot < input.slots(); slot++) {
                projects.add(RexInputRef.of(input.slotField(slot), input.node().getRowType()));
                names.add(UNIT_FIELD + (slot == 0 ? "" : "_" + slot));
            }
            RelNode copy = builder.push(input.node()).project(projects, names, true).build();
            // a projection keeps every row once; a field that passes a unit through as it is stays its key
            List<ImmutableBitSet> keys = new ArrayList<>();
            for (int slot = 0; slot < input.slots(); slot++) {
                ImmutableBitSet.Builder key = ImmutableBitSet.builder();
                for (int i = 0; i < project.getProjects().size(); i++) {
                    if (project.getProjects().get(i) instanceof RexInputRef ref && input.keys().get(slot).get(ref.getIndex())) {
                        key.set(i);
                    }
                }
                keys.add(key.build());
            }
            return new Carried(copy, width, input.slots(), deps, input.groups(), input.unique(), input.present(), keys);
        }
        if (node instanceof Filter filter) {
            Carried input = carry(filter.getInput());
            return input.with(filter.copy(filter.getTraitSet(), input.node(), filter.getCondition()));
        }
        if (node instanceof Sort sort) {
            Carried input = carry(sort.getInput());
            return input.with(sort.copy(sort.getTraitSet(), List.of(input.node())));
        }
        if (node instanceof Join join) {
            return carryThroughJoin(join);
        }
        if (node instanceof Aggregate aggregate && analysis.perUnitKey(aggregate).isPresent()) {
            // one row per person: the unit is a group key; every value of the row is that person's
            int unitKey = analysis.perUnitKey(aggregate).get();
            builder.push(aggregate);
            List<RexNode> fields = new ArrayList<>(builder.fields());
            fields.add(builder.field(unitKey));
            List<String> names = new ArrayList<>(aggregate.getRowType().getFieldNames());
            names.add(UNIT_FIELD);
            // grouped by the unit alone, each unit is on one row
            return new Carried(builder.project(fields, names, true).build(), width, 1,
                    Collections.nCopies(width, ImmutableBitSet.of(0)))
                    .withUnits(aggregate.getGroupCount() == 1 ? ImmutableBitSet.of(0) : ImmutableBitSet.of(),
                            ImmutableBitSet.of(), List.of(ImmutableBitSet.of(unitKey)));
        }
        if (node instanceof Union union && union.all) {
            return carryThroughUnion(union);
        }
        throw new IllegalStateException("cannot carry a privacy unit through " + node.getRelTypeName());
    }

    private Carried carryThroughJoin(Join join) {
        int leftCount = join.getLeft().getRowType().getFieldCount();
        int rightCount = join.getRight().getRowType().getFieldCount();
        Carried left = carry(join.getLeft());
        // A semi- or anti-join outputs no right row: its right side needs no units.
        Carried right = join.getJoinType().projectsRight() ? carry(join.getRight())
                : new Carried(join.getRight(), rightCount, 0, Collections.nCopies(rightCount, ImmutableBitSet.of()));
        int shift = left.slots();
        // The left input grew by its slots at its end: shift references to right fields.
        RexNode condition = join.getCondition().accept(new RexShuttle() {
            @Override
            public RexNode visitInputRef(RexInputRef ref) {
                return ref.getIndex() >= leftCount ? new RexInputRef(ref.getIndex() + shift, ref.getType()) : ref;
            }
        });
        RelNode copy = join.copy(join.getTraitSet(), condition, left.node(), right.node(),
                join.getJoinType(), join.isSemiJoinDone());
        if (!join.getJoinType().projectsRight()) {
            return left.with(copy);
        }
        // Restore the original field order, then the left slots and the right slots. The slots of an
        // outer join's padded side are NULL on padding rows, as every other field of that side.
        builder.push(copy);
        List<RexNode> fields = new ArrayList<>();
        List<String> names = new ArrayList<>(join.getRowType().getFieldNames());
        for (int i = 0; i < leftCount; i++) {
            fields.add(builder.field(i));
        }
        for (int i = 0; i < rightCount; i++) {
            fields.add(builder.field(leftCount + shift + i));
        }
        for (int slot = 0; slot < left.slots(); slot++) {
            fields.add(builder.field(left.slotField(slot)));
            names.add(UNIT_FIELD + "_l" + slot);
        }
        for (int slot = 0; slot < right.slots(); slot++) {
            fields.add(builder.field(leftCount + shift + right.slotField(slot)));
            names.add(UNIT_FIELD + "_r" + slot);
        }
        List<ImmutableBitSet> deps = new ArrayList<>(left.deps());
        for (ImmutableBitSet rightDeps : right.deps()) {
            deps.add(rightDeps.shift(shift));
        }
        List<ImmutableBitSet> groups = new ArrayList<>(left.groups());
        for (ImmutableBitSet group : right.groups()) {
            groups.add(group.shift(shift));
        }
        // A side's units stay on one row each when each of its rows meets at most one row of the other
        // side (padding rows of an outer join hold NULL units, which no count counts).
        boolean outputsEachRowOnce = switch (join.getJoinType()) {
            case INNER, LEFT, RIGHT, FULL -> true;
            default -> false;
        };
        ImmutableBitSet.Builder unique = ImmutableBitSet.builder();
        if (outputsEachRowOnce && meetsAtMostOne(join, right, true)) {
            unique.addAll(left.unique());
        }
        if (outputsEachRowOnce && meetsAtMostOne(join, left, false)) {
            unique.addAll(right.unique().shift(shift));
        }
        List<ImmutableBitSet> keys = new ArrayList<>(left.keys());
        for (ImmutableBitSet key : right.keys()) {
            keys.add(key.shift(leftCount));
        }
        // a side that is never padded keeps its units on every row
        ImmutableBitSet.Builder present = ImmutableBitSet.builder();
        if (join.getJoinType() == JoinRelType.INNER || join.getJoinType() == JoinRelType.LEFT) {
            present.addAll(left.present());
        }
        if (join.getJoinType() == JoinRelType.INNER || join.getJoinType() == JoinRelType.RIGHT) {
            present.addAll(right.present().shift(shift));
        }
        return new Carried(builder.project(fields, names, true).build(), leftCount + rightCount,
                left.slots() + right.slots(), deps, groups, unique.build(), present.build(), keys);
    }

    /**
     * Whether every row of one side of a join meets at most one row of the other side: some conjunct of
     * the condition is {@code expression of this side = key of the other side}, where the key holds the
     * unit of a slot whose units are each on one row there, compared as it is (no cast that could merge
     * values; no approximate type whose -0.0 and 0.0 are equal).
     */
    private static boolean meetsAtMostOne(Join join, Carried other, boolean otherIsRight) {
        int leftCount = join.getLeft().getRowType().getFieldCount();
        ImmutableBitSet.Builder keys = ImmutableBitSet.builder();
        for (int slot : other.unique()) {
            keys.addAll(other.keys().get(slot));
        }
        ImmutableBitSet otherKeys = keys.build();
        for (RexNode conjunct : RelOptUtil.conjunctions(join.getCondition())) {
            if (conjunct.getKind() != SqlKind.EQUALS) {
                continue;
            }
            List<RexNode> operands = ((org.apache.calcite.rex.RexCall) conjunct).getOperands();
            for (int o = 0; o < 2; o++) {
                RexNode mine = operands.get(o);
                if (!(operands.get(1 - o) instanceof RexInputRef key)
                        || key.getType().getSqlTypeName() != mine.getType().getSqlTypeName()
                        || SqlTypeName.APPROX_TYPES.contains(key.getType().getSqlTypeName())) {
                    continue;
                }
                ImmutableBitSet read = RelOptUtil.InputFinder.bits(mine);
                boolean keyOnOtherSide = otherIsRight ? key.getIndex() >= leftCount : key.getIndex() < leftCount;
                boolean mineOnThisSide = otherIsRight ? read.isEmpty() || read.nth(read.cardinality() - 1) < leftCount
                        : read.isEmpty() || read.nth(0) >= leftCount;
                int keyField = otherIsRight ? key.getIndex() - leftCount : key.getIndex();
                if (keyOnOtherSide && mineOnThisSide && otherKeys.get(keyField)) {
                    return true;
                }
            }
        }
        return false;
    }

    private Carried carryThroughUnion(Union union) {
        int width = union.getRowType().getFieldCount();
        List<Carried> branches = new ArrayList<>();
        List<RelDataType> slotTypes = new ArrayList<>();
        RexBuilder rex = union.getCluster().getRexBuilder();
        for (RelNode input : union.getInputs()) {
            Carried branch = carry(input);
            branches.add(branch);
            for (int slot = 0; slot < branch.slots(); slot++) {
                RelDataType type = branch.node().getRowType().getFieldList().get(branch.slotField(slot)).getType();
                slotTypes.add(rex.getTypeFactory().createTypeWithNullability(type, true));
            }
        }
        // Every branch gets every slot: its own units, NULL for the slots of the other branches.
        List<RelNode> inputs = new ArrayList<>();
        List<ImmutableBitSet.Builder> deps = new ArrayList<>();
        for (int i = 0; i < width; i++) {
            deps.add(ImmutableBitSet.builder());
        }
        int offset = 0;
        for (Carried branch : branches) {
            builder.push(branch.node());
            List<RexNode> fields = new ArrayList<>();
            List<String> names = new ArrayList<>(union.getRowType().getFieldNames());
            for (int i = 0; i < width; i++) {
                fields.add(builder.field(i));
                deps.get(i).addAll(branch.deps().get(i).shift(offset));
            }
            for (int slot = 0; slot < slotTypes.size(); slot++) {
                int own = slot - offset;
                fields.add(own >= 0 && own < branch.slots()
                        ? rex.makeCast(slotTypes.get(slot), builder.field(branch.slotField(own)), true, false)
                        : rex.makeNullLiteral(slotTypes.get(slot)));
                names.add(UNIT_FIELD + "_" + slot);
            }
            inputs.add(builder.project(fields, names, true).build());
            offset += branch.slots();
        }
        RelNode copy = union.copy(union.getTraitSet(), inputs, true);
        // The i-th exclusive group of every branch merge: rows of different branches never meet.
        List<ImmutableBitSet.Builder> groups = new ArrayList<>();
        int start = 0;
        for (Carried branch : branches) {
            for (int g = 0; g < branch.groups().size(); g++) {
                if (groups.size() <= g) {
                    groups.add(ImmutableBitSet.builder());
                }
                groups.get(g).addAll(branch.groups().get(g).shift(start));
            }
            start += branch.slots();
        }
        // A branch's slot is NULL on the other branches' rows: its units stay on one row each. No field of
        // the union holds a unit on every row (the branches' fields come from different slots).
        ImmutableBitSet.Builder unique = ImmutableBitSet.builder();
        int first = 0;
        for (Carried branch : branches) {
            unique.addAll(branch.unique().shift(first));
            first += branch.slots();
        }
        return new Carried(copy, width, slotTypes.size(), deps.stream().map(ImmutableBitSet.Builder::build).toList(),
                groups.stream().map(ImmutableBitSet.Builder::build).toList(), unique.build(), ImmutableBitSet.of(),
                Collections.nCopies(slotTypes.size(), ImmutableBitSet.of()));
    }
}
