package org.datasandbox.guard.analyze;

import java.math.BigDecimal;
import java.util.function.Function;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexTableInputRef;
import org.apache.calcite.util.DateString;
import org.apache.calcite.util.Sarg;
import org.datasandbox.guard.catalog.Bucketing;
import org.datasandbox.guard.catalog.ColumnRef;
import org.datasandbox.guard.catalog.ColumnRole;
import org.datasandbox.guard.catalog.GuardColumn;
import com.google.common.collect.Range;

/**
 * Whether a simplified predicate bounds a quasi-identifier only by ranges at least one bucket wide: a
 * one-sided bound ({@code age >= 65}) or a range as wide as the policy's bucket ({@code age BETWEEN 20
 * AND 29} with buckets of 10 or less). Points and narrow ranges ({@code age >= 37 AND age <= 37},
 * which Calcite simplifies to a point) pin people down and are exact values.
 */
public final class QuasiIdentifierRanges {
    private static final int DAYS_PER_MONTH = 28;

    private final Function<ColumnRef, GuardColumn> columns;

    public QuasiIdentifierRanges(Function<ColumnRef, GuardColumn> columns) {
        this.columns = columns;
    }

    public boolean isCoarseRange(RexNode predicate) {
        if (!(predicate instanceof RexCall call) || call.getOperands().size() != 2) {
            return false;
        }
        // A decimal or double quasi-identifier compared with an integer literal has a cast on one side.
        RexNode left = stripCasts(call.getOperands().get(0));
        RexNode right = stripCasts(call.getOperands().get(1));
        return switch (call.getKind()) {
            case LESS_THAN, LESS_THAN_OR_EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL ->
                    left instanceof RexTableInputRef && right instanceof RexLiteral
                            || right instanceof RexTableInputRef && left instanceof RexLiteral;
            case SEARCH -> left instanceof RexTableInputRef ref && right instanceof RexLiteral literal
                    && isWideSarg(column(ref), literal.getValueAs(Sarg.class));
            default -> false;
        };
    }

    private static RexNode stripCasts(RexNode node) {
        RexNode inner = node;
        while (inner instanceof RexCall call && call.getKind() == org.apache.calcite.sql.SqlKind.CAST) {
            inner = call.getOperands().get(0);
        }
        return inner;
    }

    private GuardColumn column(RexTableInputRef ref) {
        return columns.apply(PlanAnalysis.ref(ref));
    }

    private static boolean isWideSarg(GuardColumn column, Sarg<?> sarg) {
        if (sarg == null || sarg.pointCount > 0 || sarg.isComplementedPoints()) {
            return false;
        }
        if (column.role() != ColumnRole.QUASI_IDENTIFIER) {
            return true;
        }
        for (Range<?> range : sarg.rangeSet.asRanges()) {
            if (range.hasLowerBound() && range.hasUpperBound() && width(range) < minimumWidth(column)) {
                return false;
            }
        }
        return true;
    }

    /** Width in the column's unit: numbers as they are, dates in days. */
    private static double width(Range<?> range) {
        Object lower = range.lowerEndpoint();
        Object upper = range.upperEndpoint();
        if (lower instanceof BigDecimal l && upper instanceof BigDecimal u) {
            return u.subtract(l).doubleValue();
        }
        if (lower instanceof DateString l && upper instanceof DateString u) {
            return u.getDaysSinceEpoch() - l.getDaysSinceEpoch();
        }
        return 0; // an unknown kind of value: treat the range as a point
    }

    private static double minimumWidth(GuardColumn column) {
        Bucketing bucketing = column.bucketing().orElse(Bucketing.numeric(10));
        if (column.type().isNumeric()) {
            return bucketing.minWidth() - 1; // closed integer ranges: [20..29] holds 10 values
        }
        return switch (bucketing.dateUnit()) {
            case MONTH -> DAYS_PER_MONTH;
            case QUARTER -> 3 * DAYS_PER_MONTH;
            case YEAR -> 365;
            case DECADE -> 3650;
        };
    }
}
