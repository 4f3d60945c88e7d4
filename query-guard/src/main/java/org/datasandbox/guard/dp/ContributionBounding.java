package org.datasandbox.guard.dp;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexWindowBounds;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.tools.RelBuilder;
import org.apache.calcite.util.ImmutableBitSet;
import org.datasandbox.guard.catalog.ContributionBounds;

/**
 * Bounds each unit's contribution by aggregation, without choosing rows (so without sorting them):
 * <ol>
 *   <li><b>Linf, per unit and group:</b> the unit's rows of a group are aggregated into one row whose partials
 *       are capped as if it had at most Linf rows: a count becomes {@code min(n, Linf)}; a sum of n clamped
 *       values becomes {@code sum * Linf / n} when {@code n > Linf} (the unit's mean times Linf: between Linf
 *       times each bound, and the expected sum of Linf rows drawn at random); a mean's count and sum are capped
 *       together, so its ratio stays the unit's own mean; a quantile's array keeps Linf of the unit's sorted
 *       values, evenly spread over them.</li>
 *   <li><b>L0, per unit:</b> of the unit's (unit, group) rows, the L0 with the smallest keyed hash of the unit
 *       and the keys (a secret salt first; the keys break a 2^-64 tie) are kept. One window ranks the
 *       pre-aggregated rows, far fewer than the raw rows when units repeat in groups, and without a group key
 *       every unit is one row already and nothing is ranked.</li>
 * </ol>
 * Each capped partial is a function of the unit's own rows in that group, and the kept groups a function of the
 * unit's own groups and the salt: adding or removing another unit changes none of them. So a unit moves at most
 * L0 groups, each by at most Linf rows' worth of clamped values: the sensitivities {@code DpAggregate} states.
 */
final class ContributionBounding {
    private final RelBuilder builder;
    private final ContributionBounds bounds;
    private final RandomGenerator seeds;

    ContributionBounding(RelBuilder builder, ContributionBounds bounds, RandomGenerator seeds) {
        this.builder = builder;
        this.bounds = bounds;
        this.seeds = seeds;
    }

    /**
     * Takes the builder's top, {@code [keys..., unit, one value per aggregate]}, to one row per kept (unit,
     * group): {@code [keys..., unit, partials...]}, one partial per aggregate and two for a mean (its sum, then its
     * count).
     *
     * @return the salt of the keyed hash that chooses each unit's L0 groups (0 without group keys: nothing is chosen)
     */
    long bound(int keys, List<DpAggregate.Kind> kinds) {
        int unit = keys;
        List<RelBuilder.AggCall> calls = new ArrayList<>();
        for (int i = 0; i < kinds.size(); i++) {
            RexNode value = builder.field(unit + 1 + i);
            switch (kinds.get(i)) {
                case COUNT -> calls.add(builder.count(false, null, value));
                case COUNT_DISTINCT_UNITS -> calls.add(builder.max(value));
                case SUM, MEAN -> {
                    calls.add(builder.sum(value));
                    calls.add(builder.count(false, null, value));
                }
                case QUANTILE -> calls.add(builder.aggregateCall(DpSparkFunctions.COLLECT_LIST, value));
            }
        }
        builder.aggregate(builder.groupKey(ImmutableBitSet.range(keys + 1)), calls);
        capRows(keys, kinds);
        if (keys == 0) {
            return 0;
        }
        long salt = seeds.nextLong();
        capGroups(keys, salt);
        return salt;
    }

    /** The per-unit partials capped at Linf rows. */
    private void capRows(int keys, List<DpAggregate.Kind> kinds) {
        List<RexNode> fields = new ArrayList<>(builder.fields(ImmutableBitSet.range(keys + 1)));
        List<String> names = new ArrayList<>(builder.peek().getRowType().getFieldNames().subList(0, keys + 1));
        int partial = keys + 1;
        for (int i = 0; i < kinds.size(); i++) {
            switch (kinds.get(i)) {
                case COUNT -> fields.add(capCount(builder.field(partial++)));
                case COUNT_DISTINCT_UNITS -> fields.add(builder.field(partial++));
                case SUM -> {
                    fields.add(scaleSum(builder.field(partial), builder.field(partial + 1)));
                    partial += 2;
                }
                case MEAN -> {
                    fields.add(scaleSum(builder.field(partial), builder.field(partial + 1)));
                    fields.add(capCount(builder.field(partial + 1)));
                    partial += 2;
                }
                case QUANTILE -> fields.add(builder.call(DpSparkFunctions.SPREAD, builder.field(partial++),
                        builder.literal(bounds.maxRowsPerUnitPerGroup())));
            }
            names.add(kinds.get(i) == DpAggregate.Kind.MEAN ? "__dp_sum" + i : "__dp_partial" + i);
            if (kinds.get(i) == DpAggregate.Kind.MEAN) {
                names.add("__dp_count" + i);
            }
        }
        builder.project(fields, names, true);
    }

    /** {@code min(n, Linf)}. */
    private RexNode capCount(RexNode count) {
        RexNode linf = builder.getRexBuilder().makeExactLiteral(BigDecimal.valueOf(bounds.maxRowsPerUnitPerGroup()),
                count.getType());
        return builder.call(SqlStdOperatorTable.CASE, builder.greaterThan(count, linf), linf, count);
    }

    /** {@code sum * Linf / n} when {@code n > Linf}, else the sum (no division where n may be 0). */
    private RexNode scaleSum(RexNode sum, RexNode count) {
        RexBuilder rex = builder.getRexBuilder();
        RelDataType type = rex.getTypeFactory().createTypeWithNullability(
                rex.getTypeFactory().createSqlType(SqlTypeName.DOUBLE), true);
        RexNode linf = rex.makeExactLiteral(BigDecimal.valueOf(bounds.maxRowsPerUnitPerGroup()), count.getType());
        RexNode share = builder.call(SqlStdOperatorTable.DIVIDE,
                rex.makeApproxLiteral(BigDecimal.valueOf(bounds.maxRowsPerUnitPerGroup()), type),
                rex.makeCast(type, count, true, false));
        return builder.call(SqlStdOperatorTable.CASE, builder.greaterThan(count, linf),
                builder.call(SqlStdOperatorTable.MULTIPLY, sum, share), sum);
    }

    /** Keeps the L0 rows of each unit with the smallest keyed hash of the unit and the keys. */
    private void capGroups(int keys, long salt) {
        int width = builder.peek().getRowType().getFieldCount();
        List<RexNode> hashed = new ArrayList<>();
        hashed.add(builder.literal(salt));
        hashed.add(builder.field(keys));
        hashed.addAll(builder.fields(ImmutableBitSet.range(keys)));
        List<RexNode> order = new ArrayList<>();
        order.add(builder.call(DpSparkFunctions.XXHASH64, hashed));
        order.addAll(builder.fields(ImmutableBitSet.range(keys)));
        RexNode rank = builder.aggregateCall(SqlStdOperatorTable.ROW_NUMBER).over()
                .partitionBy(builder.field(keys)).orderBy(order).rowsTo(RexWindowBounds.CURRENT_ROW).toRex();
        List<RexNode> fields = new ArrayList<>(builder.fields());
        fields.add(rank);
        List<String> names = new ArrayList<>(builder.peek().getRowType().getFieldNames());
        names.add("__dp_group");
        builder.project(fields, names, true);
        // LEAST(rank, L0 + 1) <= L0 is rank <= L0 in a form Spark does not turn into a window group limit, whose
        // partial form sorts the rows once more before the shuffle only to drop few of them (measured 15-25% slower)
        RexNode capped = builder.call(SqlLibraryOperators.LEAST, builder.field(width),
                builder.literal(bounds.maxGroupsPerUnit() + 1));
        builder.filter(builder.lessThanOrEqual(capped, builder.literal(bounds.maxGroupsPerUnit())));
        builder.project(builder.fields(ImmutableBitSet.range(width)));
    }
}
