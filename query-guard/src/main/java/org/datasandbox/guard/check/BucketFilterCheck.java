package org.datasandbox.guard.check;

import com.google.common.collect.BoundType;
import com.google.common.collect.Range;
import com.google.common.collect.RangeSet;
import com.google.common.collect.TreeRangeSet;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexTableInputRef;
import org.apache.calcite.rex.RexVisitorImpl;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.Sarg;
import org.datasandbox.guard.analyze.Granularity;
import org.datasandbox.guard.analyze.PlanAnalysis;
import org.datasandbox.guard.catalog.ColumnRef;
import org.datasandbox.guard.catalog.ColumnRole;
import org.datasandbox.guard.catalog.GuardColumn;
import org.datasandbox.guard.explain.RuleId;
import org.datasandbox.guard.explain.Violation;

/**
 * Filters and group keys on one numeric quasi-identifier are judged together: a filter that cuts a group's
 * bucket leaves a piece of it, and that piece must still be as wide as the policy's bucket. {@code age >=
 * 39} with {@code FLOOR(age / 5)} leaves [39, 40) of the bucket [35, 40): age 39 alone. The buckets come from
 * the group keys ({@code FLOOR}/{@code CEIL} of a division, the thresholds of a range CASE), the filters from
 * every WHERE, join condition and FILTER below the aggregate, wherever in sub-queries either is written.
 */
final class BucketFilterCheck implements PlanCheck {

    /** The cut points of one column's buckets: grids of multiples (with an offset), and CASE thresholds. */
    private record Cuts(List<BigDecimal[]> grids, TreeSet<BigDecimal> thresholds) {
    }

    @Override
    public void check(RelNode node, CheckContext context) {
        if (!(node instanceof Aggregate aggregate) || context.granularity(aggregate.getInput()) != Granularity.ROWS) {
            return;
        }
        RelNode input = aggregate.getInput();
        Map<ColumnRef, Cuts> cuts = new HashMap<>();
        for (int key : aggregate.getGroupSet()) {
            context.expand(input, CheckContext.field(input, key))
                    .ifPresent(set -> set.forEach(e -> collectCuts(e, cuts, context)));
        }
        if (cuts.isEmpty()) {
            return;
        }
        // Each path of rows below (one per combination of UNION ALL branches) on its own, and each FILTER
        // cell on each path: conditions that apply to different rows are never combined (see conditionsBelow).
        List<List<RexNode>> paths = context.conditionsBelow(input);
        List<List<RexNode>> judged = new ArrayList<>(paths);
        for (AggregateCall call : aggregate.getAggCallList()) {
            if (call.filterArg >= 0) {
                context.expand(input, CheckContext.field(input, call.filterArg)).ifPresent(forms -> {
                    for (RexNode form : forms) {
                        for (List<RexNode> path : paths) {
                            List<RexNode> cell = new ArrayList<>(path);
                            cell.add(form);
                            judged.add(cell);
                        }
                    }
                });
            }
        }
        RexBuilder rex = input.getCluster().getRexBuilder();
        for (List<RexNode> conditions : judged) {
            if (!conditions.isEmpty() && judge(conditions, cuts, rex, context)) {
                return;
            }
        }
    }

    /** Reports and returns true when the conditions of one path cut a bucket narrowly. */
    private static boolean judge(List<RexNode> conditions, Map<ColumnRef, Cuts> cuts, RexBuilder rex, CheckContext context) {
        RexNode combined = context.simplify(conditions.size() == 1 ? conditions.get(0)
                : rex.makeCall(SqlStdOperatorTable.AND, conditions));
        for (Map.Entry<ColumnRef, Cuts> entry : cuts.entrySet()) {
            GuardColumn column = context.column(entry.getKey());
            Optional<RangeSet<BigDecimal>> allowed = ranges(combined, entry.getKey());
            if (allowed.isEmpty()) {
                continue;
            }
            boolean integral = column.type().isNumeric() && isIntegral(column);
            BigDecimal minWidth = BigDecimal.valueOf(column.bucketing().map(b -> b.minWidth()).orElse(10));
            for (Range<BigDecimal> range : allowed.get().asRanges()) {
                Range<BigDecimal> halfOpen = integral ? halfOpen(range) : range;
                if (cutsNarrowly(halfOpen, entry.getValue(), minWidth)) {
                    context.report(Violation.of(RuleId.IDENTIFIER_FILTER, "the filter on " + entry.getKey()
                                    + " cuts a group's bucket to a piece narrower than " + minWidth,
                                    context.locator().column(entry.getKey().column()))
                            .withSuggestion("filter on bucket boundaries, e.g. " + entry.getKey().column()
                                    + " >= a multiple of the bucket width"));
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether some bucket is cut by the range into a non-empty piece narrower than the minimum width. */
    private static boolean cutsNarrowly(Range<BigDecimal> range, Cuts cuts, BigDecimal minWidth) {
        List<BigDecimal> endpoints = new ArrayList<>();
        if (range.hasLowerBound()) {
            endpoints.add(range.lowerEndpoint());
        }
        if (range.hasUpperBound()) {
            endpoints.add(range.upperEndpoint());
        }
        for (BigDecimal point : endpoints) {
            for (BigDecimal[] grid : cuts.grids()) {
                BigDecimal width = grid[0];
                BigDecimal offset = grid[1];
                BigDecimal index = point.subtract(offset).divide(width, 0, RoundingMode.FLOOR);
                BigDecimal lower = index.multiply(width).add(offset);
                if (lower.compareTo(point) == 0) {
                    continue; // the cut is on a bucket boundary
                }
                if (narrow(range, Range.closedOpen(lower, lower.add(width)), minWidth)) {
                    return true;
                }
            }
            if (!cuts.thresholds().isEmpty() && !cuts.thresholds().contains(point)) {
                BigDecimal below = cuts.thresholds().lower(point);
                BigDecimal above = cuts.thresholds().higher(point);
                Range<BigDecimal> bucket = below == null ? Range.lessThan(above)
                        : above == null ? Range.atLeast(below) : Range.closedOpen(below, above);
                if (narrow(range, bucket, minWidth)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean narrow(Range<BigDecimal> range, Range<BigDecimal> bucket, BigDecimal minWidth) {
        if (!range.isConnected(bucket)) {
            return false;
        }
        Range<BigDecimal> piece = range.intersection(bucket);
        if (piece.equals(bucket) || !piece.hasLowerBound() || !piece.hasUpperBound()) {
            return false;
        }
        BigDecimal width = piece.upperEndpoint().subtract(piece.lowerEndpoint());
        return width.signum() > 0 && width.compareTo(minWidth) < 0;
    }

    /** An integer range as [lower, upper): x > 38 is [39, ...), x <= 39 is [..., 40). */
    private static Range<BigDecimal> halfOpen(Range<BigDecimal> range) {
        BigDecimal lower = range.hasLowerBound() ? (range.lowerBoundType() == BoundType.CLOSED
                ? range.lowerEndpoint().setScale(0, RoundingMode.CEILING)
                : range.lowerEndpoint().setScale(0, RoundingMode.FLOOR).add(BigDecimal.ONE)) : null;
        BigDecimal upper = range.hasUpperBound() ? (range.upperBoundType() == BoundType.CLOSED
                ? range.upperEndpoint().setScale(0, RoundingMode.FLOOR).add(BigDecimal.ONE)
                : range.upperEndpoint().setScale(0, RoundingMode.CEILING)) : null;
        if (lower != null && upper != null) {
            return upper.compareTo(lower) <= 0 ? Range.closedOpen(lower, lower) : Range.closedOpen(lower, upper);
        }
        return lower != null ? Range.atLeast(lower) : upper != null ? Range.lessThan(upper) : Range.all();
    }

    /** The values of the column the conjuncts of an AND keep, or null when none bounds it. */
    static RangeSet<BigDecimal> conjunctRanges(RexNode condition, ColumnRef column) {
        return ranges(condition, column).orElse(null);
    }

    /** The values of the column the condition keeps, from its top-level conjuncts on that column alone. */
    private static Optional<RangeSet<BigDecimal>> ranges(RexNode condition, ColumnRef column) {
        RangeSet<BigDecimal> result = TreeRangeSet.create();
        result.add(Range.all());
        boolean constrained = false;
        List<RexNode> conjuncts = condition.isA(SqlKind.AND) ? ((RexCall) condition).getOperands() : List.of(condition);
        for (RexNode conjunct : conjuncts) {
            RangeSet<BigDecimal> kept = rangesOf(conjunct, column);
            if (kept != null) {
                result.removeAll(kept.complement());
                constrained = true;
            }
        }
        return constrained ? Optional.of(result) : Optional.empty();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static RangeSet<BigDecimal> rangesOf(RexNode predicate, ColumnRef column) {
        if (!(predicate instanceof RexCall call) || call.getOperands().size() != 2) {
            return null;
        }
        RexNode left = stripCasts(call.getOperands().get(0));
        RexNode right = stripCasts(call.getOperands().get(1));
        if (!(left instanceof RexTableInputRef ref) || !PlanAnalysis.ref(ref).equals(column)
                || !(right instanceof RexLiteral literal)) {
            return null;
        }
        if (call.getKind() == SqlKind.SEARCH) {
            Sarg sarg = literal.getValueAs(Sarg.class);
            if (sarg == null) {
                return null;
            }
            RangeSet<BigDecimal> set = TreeRangeSet.create();
            for (Object r : sarg.rangeSet.asRanges()) {
                Range<?> range = (Range<?>) r;
                if (range.hasLowerBound() && !(range.lowerEndpoint() instanceof BigDecimal)
                        || range.hasUpperBound() && !(range.upperEndpoint() instanceof BigDecimal)) {
                    return null;
                }
                set.add((Range<BigDecimal>) range);
            }
            return set;
        }
        BigDecimal value = literal.getValueAs(BigDecimal.class);
        if (value == null) {
            return null;
        }
        Range<BigDecimal> range = switch (call.getKind()) {
            case GREATER_THAN -> Range.greaterThan(value);
            case GREATER_THAN_OR_EQUAL -> Range.atLeast(value);
            case LESS_THAN -> Range.lessThan(value);
            case LESS_THAN_OR_EQUAL -> Range.atMost(value);
            default -> null;
        };
        if (range == null) {
            return null;
        }
        RangeSet<BigDecimal> set = TreeRangeSet.create();
        set.add(range);
        return set;
    }

    /** Bucket grids and CASE thresholds of numeric quasi-identifiers in a group key over base columns. */
    private static void collectCuts(RexNode expanded, Map<ColumnRef, Cuts> into, CheckContext context) {
        expanded.accept(new RexVisitorImpl<Void>(true) {
            @Override
            public Void visitCall(RexCall call) {
                SqlKind kind = call.getKind();
                if ((kind == SqlKind.FLOOR || kind == SqlKind.CEIL || kind == SqlKind.CAST)
                        && call.getOperands().size() == 1 && call.getOperands().get(0) instanceof RexCall divide
                        && divide.getKind() == SqlKind.DIVIDE && divide.getOperands().get(0) instanceof RexTableInputRef ref
                        && divide.getOperands().get(1) instanceof RexLiteral literal) {
                    BigDecimal width = literal.getValueAs(BigDecimal.class);
                    ColumnRef column = PlanAnalysis.ref(ref);
                    if (width != null && width.signum() > 0 && isNumericQuasiIdentifier(column, context)) {
                        // CEIL buckets are (iw - w, iw]: for integers [iw - w + 1, iw + 1)
                        BigDecimal offset = kind == SqlKind.CEIL && isIntegral(context.column(column))
                                ? BigDecimal.ONE : BigDecimal.ZERO;
                        cutsOf(column).grids().add(new BigDecimal[] {width, offset});
                    }
                } else if (kind == SqlKind.CASE) {
                    for (int i = 0; i + 1 < call.getOperands().size(); i += 2) {
                        collectThresholds(call.getOperands().get(i));
                    }
                }
                return super.visitCall(call);
            }

            private void collectThresholds(RexNode condition) {
                condition.accept(new RexVisitorImpl<Void>(true) {
                    @Override
                    public Void visitCall(RexCall call) {
                        RangeSet<BigDecimal> set = null;
                        for (ColumnRef column : PlanAnalysis.columnsOf(call)) {
                            if (isNumericQuasiIdentifier(column, context) && (set = rangesOf(call, column)) != null) {
                                boolean integral = isIntegral(context.column(column));
                                for (Range<BigDecimal> range : set.asRanges()) {
                                    Range<BigDecimal> r = integral ? halfOpen(range) : range;
                                    if (r.hasLowerBound()) {
                                        cutsOf(column).thresholds().add(r.lowerEndpoint());
                                    }
                                    if (r.hasUpperBound()) {
                                        cutsOf(column).thresholds().add(r.upperEndpoint());
                                    }
                                }
                            }
                        }
                        return set != null ? null : super.visitCall(call);
                    }
                });
            }

            private Cuts cutsOf(ColumnRef column) {
                return into.computeIfAbsent(column, c -> new Cuts(new ArrayList<>(), new TreeSet<>()));
            }
        });
    }

    private static RexNode stripCasts(RexNode node) {
        RexNode inner = node;
        while (inner instanceof RexCall call && call.getKind() == SqlKind.CAST) {
            inner = call.getOperands().get(0);
        }
        return inner;
    }

    private static boolean isNumericQuasiIdentifier(ColumnRef ref, CheckContext context) {
        GuardColumn column = context.column(ref);
        return column.role() == ColumnRole.QUASI_IDENTIFIER && column.type().isNumeric();
    }

    private static boolean isIntegral(GuardColumn column) {
        return Set.of("INTEGER", "BIGINT", "SMALLINT", "TINYINT").contains(column.type().name());
    }
}
