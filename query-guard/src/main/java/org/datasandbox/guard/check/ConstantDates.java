package org.datasandbox.guard.check;

import java.math.BigDecimal;
import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.DateString;

/**
 * A condition is judged by the values it compares with, however they are written: a date literal plus or minus
 * whole days of a literal ({@code DATE_ADD(DATE '2025-01-01', 90)}, which Calcite plans as {@code DATE '2025-01-01'
 * + INTERVAL '1' DAY * 90}) is that date. Folding it before the conditions are simplified lets the range rules see a
 * range ({@code visit_date < DATE '2025-04-01'}) and judge its width, instead of an unknown bound refused as an
 * exact value. Only exact date arithmetic on literals is folded; everything else is left as written.
 */
final class ConstantDates extends RexShuttle {
    private static final BigDecimal DAY_MILLIS = BigDecimal.valueOf(TimeUnit.DAY.multiplier.longValueExact());
    /** Days a fold may move a date: far beyond any policy's range, well inside DateString's. */
    private static final long MAX_DAYS = 1_000_000;

    private final RexBuilder rex;

    ConstantDates(RexBuilder rex) {
        this.rex = rex;
    }

    @Override
    public RexNode visitCall(RexCall call) {
        RexCall visited = (RexCall) super.visitCall(call);
        boolean plus = visited.getKind() == SqlKind.PLUS;
        if ((!plus && visited.getKind() != SqlKind.MINUS) || visited.getOperands().size() != 2
                || visited.getType().getSqlTypeName() != SqlTypeName.DATE
                || !(visited.getOperands().get(0) instanceof RexLiteral date)
                || date.getType().getSqlTypeName() != SqlTypeName.DATE) {
            return visited;
        }
        DateString start = date.getValueAs(DateString.class);
        BigDecimal days = days(visited.getOperands().get(1));
        if (start == null || days == null || days.abs().compareTo(BigDecimal.valueOf(MAX_DAYS)) > 0) {
            return visited;
        }
        long shift = plus ? days.longValueExact() : -days.longValueExact();
        return rex.makeDateLiteral(DateString.fromDaysSinceEpoch(Math.toIntExact(start.getDaysSinceEpoch() + shift)));
    }

    /** The whole number of days of a literal day interval, or of one day times an integer literal; else null. */
    private static BigDecimal days(RexNode interval) {
        if (interval instanceof RexLiteral literal && isDayInterval(literal)) {
            return wholeDays(literal.getValueAs(BigDecimal.class));
        }
        if (interval instanceof RexCall times && times.getKind() == SqlKind.TIMES && times.getOperands().size() == 2) {
            for (int i = 0; i < 2; i++) {
                if (times.getOperands().get(i) instanceof RexLiteral unit && isDayInterval(unit)
                        && DAY_MILLIS.equals(unit.getValueAs(BigDecimal.class))) {
                    BigDecimal count = integer(times.getOperands().get(1 - i));
                    if (count != null) {
                        return count;
                    }
                }
            }
        }
        return null;
    }

    private static BigDecimal wholeDays(BigDecimal millis) {
        return millis != null && millis.remainder(DAY_MILLIS).signum() == 0 ? millis.divide(DAY_MILLIS) : null;
    }

    /** An exact integer literal, through casts between exact types. */
    private static BigDecimal integer(RexNode node) {
        RexNode inner = node;
        while (inner instanceof RexCall cast && cast.getKind() == SqlKind.CAST
                && org.apache.calcite.sql.type.SqlTypeUtil.isExactNumeric(cast.getType())) {
            inner = cast.getOperands().get(0);
        }
        if (!(inner instanceof RexLiteral literal) || !org.apache.calcite.sql.type.SqlTypeUtil.isExactNumeric(literal.getType())) {
            return null;
        }
        BigDecimal value = literal.getValueAs(BigDecimal.class);
        return value != null && value.stripTrailingZeros().scale() <= 0 ? value : null;
    }

    private static boolean isDayInterval(RexLiteral literal) {
        return literal.getType().getSqlTypeName() == SqlTypeName.INTERVAL_DAY;
    }
}
