package org.datasandbox.guard.unparse;

import java.math.BigDecimal;
import java.util.List;
import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * A date plus or minus whole days is written back as Spark's {@code DATE_ADD} / {@code DATE_SUB}. Calcite
 * turns {@code DATE_ADD(d, n)} into {@code d + INTERVAL '1' DAY * n}, a DATE to the guard, but a TIMESTAMP
 * in Spark (a date plus a day-time interval): the released value and its type would not be the ones the
 * user asked for and the guard judged. Spark's functions keep the DATE. A shuttle returns its input
 * unchanged when nothing changed, so plans without date arithmetic stay identical objects.
 */
final class SparkDateArithmetic {
    private static final BigDecimal DAY_MILLIS = BigDecimal.valueOf(TimeUnit.DAY.multiplier.longValueExact());

    private SparkDateArithmetic() {
    }

    static RelNode rewrite(RelNode plan) {
        return plan.accept(new RelHomogeneousShuttle() {
            @Override
            public RelNode visit(RelNode other) {
                RelNode visited = super.visit(other);
                return visited.accept(new Days(visited.getCluster().getRexBuilder()));
            }
        });
    }

    private static final class Days extends RexShuttle {
        private final RexBuilder rex;

        Days(RexBuilder rex) {
            this.rex = rex;
        }

        @Override
        public RexNode visitCall(RexCall call) {
            RexCall visited = (RexCall) super.visitCall(call);
            boolean plus = visited.getKind() == SqlKind.PLUS;
            if ((!plus && visited.getKind() != SqlKind.MINUS) || visited.operands.size() != 2
                    || visited.getType().getSqlTypeName() != SqlTypeName.DATE
                    || visited.operands.get(0).getType().getSqlTypeName() != SqlTypeName.DATE) {
                return visited;
            }
            RexNode days = days(visited.operands.get(1));
            if (days == null) {
                return visited;
            }
            SqlOperator function = plus ? SqlLibraryOperators.DATE_ADD_SPARK : SqlLibraryOperators.DATE_SUB_SPARK;
            return rex.makeCall(visited.getType(), function, List.of(visited.operands.get(0), days));
        }

        /** The whole number of days an interval expression is, or null. */
        private RexNode days(RexNode interval) {
            if (interval instanceof RexLiteral literal && isDayInterval(literal)) {
                BigDecimal millis = literal.getValueAs(BigDecimal.class);
                if (millis != null && millis.remainder(DAY_MILLIS).signum() == 0) {
                    return rex.makeExactLiteral(millis.divide(DAY_MILLIS));
                }
                return null;
            }
            if (interval instanceof RexCall times && times.getKind() == SqlKind.TIMES && times.operands.size() == 2) {
                for (int i = 0; i < 2; i++) {
                    if (times.operands.get(i) instanceof RexLiteral literal && isDayInterval(literal)
                            && DAY_MILLIS.equals(literal.getValueAs(BigDecimal.class))
                            && times.operands.get(1 - i).getType().getSqlTypeName().getFamily()
                            == org.apache.calcite.sql.type.SqlTypeFamily.NUMERIC) {
                        return times.operands.get(1 - i);
                    }
                }
            }
            return null;
        }

        private static boolean isDayInterval(RexLiteral literal) {
            return literal.getType().getSqlTypeName() == SqlTypeName.INTERVAL_DAY;
        }
    }
}
