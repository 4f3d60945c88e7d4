package org.datasandbox.guard.analyze;

import java.math.BigDecimal;
import java.util.function.Function;
import org.apache.calcite.avatica.util.TimeUnitRange;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexTableInputRef;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.Sarg;
import org.datasandbox.guard.catalog.Bucketing;
import org.datasandbox.guard.catalog.ColumnRef;
import org.datasandbox.guard.catalog.ColumnRole;
import org.datasandbox.guard.catalog.GuardColumn;

/**
 * Recognizes expressions that turn a quasi-identifier into coarse buckets, as its policy allows:
 * {@code FLOOR(age / 10)} (also {@code CEIL}, or a cast of the quotient to an integer), a CASE over
 * ranges with literal results, {@code YEAR(d)}, {@code MONTH(d)}, {@code FLOOR(YEAR(d) / 10)}.
 * Everything else that reads a quasi-identifier is exact.
 */
public final class Coarsening {
    private final Function<ColumnRef, GuardColumn> columns;

    public Coarsening(Function<ColumnRef, GuardColumn> columns) {
        this.columns = columns;
    }

    /** How one grouping buckets one quasi-identifier: the divisors of its quotients and its CASE buckets. */
    public record Buckets(java.util.List<BigDecimal> divisors, java.util.Set<String> cases,
                          java.util.Set<SqlKind> roundings) {
    }

    /**
     * The buckets an expression applies to each quasi-identifier. Two bucketings of one column can be
     * finer together than each alone ({@code FLOOR(age / 5)} and {@code FLOOR(age / 6)} pin most ages), so
     * a grouping must use nested divisors and at most one CASE per column.
     */
    public void collectBuckets(RexNode expanded, java.util.Map<ColumnRef, Buckets> into) {
        expanded.accept(new org.apache.calcite.rex.RexVisitorImpl<Void>(true) {
            @Override
            public Void visitCall(RexCall call) {
                if ((call.getKind() == SqlKind.FLOOR || call.getKind() == SqlKind.CEIL || call.getKind() == SqlKind.CAST)
                        && !call.getOperands().isEmpty() && call.getOperands().get(0) instanceof RexCall divide
                        && divide.getKind() == SqlKind.DIVIDE && numericLiteral(divide.getOperands().get(1)) != null) {
                    for (ColumnRef ref : PlanAnalysis.columnsOf(divide.getOperands().get(0))) {
                        bucketsOf(ref).divisors().add(numericLiteral(divide.getOperands().get(1)).abs());
                        // a cast to an integer truncates like FLOOR for the non-negative values buckets hold
                        bucketsOf(ref).roundings().add(call.getKind() == SqlKind.CEIL ? SqlKind.CEIL : SqlKind.FLOOR);
                    }
                } else if (call.getKind() == SqlKind.CASE) {
                    for (ColumnRef ref : PlanAnalysis.columnsOf(call)) {
                        bucketsOf(ref).cases().add(call.toString());
                    }
                }
                return super.visitCall(call);
            }

            private Buckets bucketsOf(ColumnRef ref) {
                return into.computeIfAbsent(ref, r -> new Buckets(new java.util.ArrayList<>(), new java.util.TreeSet<>(),
                        java.util.EnumSet.noneOf(SqlKind.class)));
            }
        });
    }

    /** True when a column's buckets in one grouping nest: divisors that divide one another, or one CASE alone. */
    public static boolean nested(Buckets buckets) {
        if (buckets.roundings().size() > 1) {
            return false; // FLOOR(x / 5) and CEIL(x / 5) differ exactly on the multiples of 5
        }
        if (!buckets.cases().isEmpty()) {
            return buckets.cases().size() == 1 && buckets.divisors().isEmpty();
        }
        java.util.List<BigDecimal> sorted = buckets.divisors().stream().distinct().sorted().toList();
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).remainder(sorted.get(i - 1)).signum() != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * True when the expanded expression reads the measure only through bands at least as wide as the ones
     * its policy declares: {@code FLOOR(x / w)}, {@code CEIL(x / w)} or an integer cast of {@code x / w}
     * with w at least the policy's width. A measure without declared bands is never a group key.
     */
    public boolean isBanded(RexNode expanded, ColumnRef measure) {
        if (columns.apply(measure).bucketing().isEmpty()) {
            return false;
        }
        boolean[] bare = {false};
        expanded.accept(new org.apache.calcite.rex.RexVisitorImpl<Void>(true) {
            @Override
            public Void visitCall(RexCall call) {
                boolean band = switch (call.getKind()) {
                    case FLOOR, CEIL -> call.getOperands().size() == 1 && isBucketQuotient(call.getOperands().get(0));
                    case CAST -> isIntegerType(call) && isBucketQuotient(call.getOperands().get(0));
                    default -> false;
                };
                return band ? null : super.visitCall(call);
            }

            @Override
            public Void visitTableInputRef(RexTableInputRef ref) {
                bare[0] |= PlanAnalysis.ref(ref).equals(measure);
                return null;
            }
        });
        return !bare[0];
    }

    /** True when every quasi-identifier the expanded expression reads is read through a coarse bucket. */
    public boolean isCoarse(RexNode expanded) {
        if (expanded instanceof RexTableInputRef ref) {
            return columns.apply(PlanAnalysis.ref(ref)).role() != ColumnRole.QUASI_IDENTIFIER;
        }
        if (!(expanded instanceof RexCall call)) {
            return true;
        }
        if (bucketsQuasiIdentifier(call)) {
            return true;
        }
        return call.getOperands().stream().allMatch(this::isCoarse);
    }

    private boolean bucketsQuasiIdentifier(RexCall call) {
        return switch (call.getKind()) {
            case FLOOR, CEIL -> call.getOperands().size() == 1 && isBucketQuotient(call.getOperands().get(0));
            case CAST -> isIntegerType(call) && isBucketQuotient(call.getOperands().get(0));
            case EXTRACT -> dateUnitOf(call) != null && dateUnitOf(call).compareTo(requiredDateUnit(call)) >= 0;
            case CASE -> isRangeCase(call);
            case OTHER_FUNCTION -> isDateBucket(call);
            default -> false;
        };
    }

    /**
     * Spark's {@code DATE_TRUNC('MONTH', d)} and {@code DATE_FORMAT(d, 'yyyy-MM')} of a date
     * quasi-identifier, at least as coarse as its policy's unit.
     */
    private boolean isDateBucket(RexCall call) {
        String name = call.getOperator().getName().toUpperCase(java.util.Locale.ROOT);
        boolean trunc = name.equals("DATE_TRUNC");
        if (!trunc && !name.equals("DATE_FORMAT") || call.getOperands().size() != 2) {
            return false;
        }
        RexNode date = stripCast(call.getOperands().get(trunc ? 1 : 0));
        RexNode unit = stripCast(call.getOperands().get(trunc ? 0 : 1));
        if (!(date instanceof RexTableInputRef ref) || !(unit instanceof RexLiteral literal)) {
            return false;
        }
        Bucketing.DateUnit required = columns.apply(PlanAnalysis.ref(ref)).bucketing().map(Bucketing::dateUnit).orElse(null);
        String text = literal.getValueAs(String.class);
        if (required == null || text == null) {
            return false;
        }
        Bucketing.DateUnit achieved;
        if (trunc) {
            achieved = switch (text.toUpperCase(java.util.Locale.ROOT)) {
                case "YEAR", "YYYY", "YY" -> Bucketing.DateUnit.YEAR;
                case "QUARTER" -> Bucketing.DateUnit.QUARTER;
                case "MONTH", "MM", "MON" -> Bucketing.DateUnit.MONTH;
                default -> null;
            };
        } else {
            // a format of years, quarters and months only (letters other than y, Q, M are finer or text)
            String letters = text.replaceAll("'[^']*'", "").replaceAll("[^A-Za-z]", "");
            achieved = letters.isEmpty() || !letters.matches("[yQM]+") ? null
                    : letters.contains("M") ? Bucketing.DateUnit.MONTH
                    : letters.contains("Q") ? Bucketing.DateUnit.QUARTER : Bucketing.DateUnit.YEAR;
        }
        return achieved != null && achieved.compareTo(required) >= 0;
    }

    private static RexNode stripCast(RexNode node) {
        RexNode inner = node;
        while (inner instanceof RexCall call && call.getKind() == SqlKind.CAST) {
            inner = call.getOperands().get(0);
        }
        return inner;
    }

    /** {@code x / c} where x is a numeric quasi-identifier and c at least its bucket width, or a year and c >= 10. */
    private boolean isBucketQuotient(RexNode node) {
        if (!(node instanceof RexCall divide) || divide.getKind() != SqlKind.DIVIDE) {
            return false;
        }
        RexNode dividend = divide.getOperands().get(0);
        BigDecimal divisor = numericLiteral(divide.getOperands().get(1));
        if (divisor == null) {
            return false;
        }
        if (dividend instanceof RexTableInputRef ref) {
            GuardColumn column = columns.apply(PlanAnalysis.ref(ref));
            return column.bucketing()
                    .map(b -> divisor.abs().compareTo(BigDecimal.valueOf(b.minWidth())) >= 0)
                    .orElse(false);
        }
        if (dividend instanceof RexCall extract && extract.getKind() == SqlKind.EXTRACT
                && dateUnitOf(extract) == Bucketing.DateUnit.YEAR) {
            Bucketing.DateUnit achieved = divisor.abs().compareTo(BigDecimal.TEN) >= 0
                    ? Bucketing.DateUnit.DECADE : Bucketing.DateUnit.YEAR;
            return achieved.compareTo(requiredDateUnit(extract)) >= 0;
        }
        return false;
    }

    /** {@code CASE WHEN x < 18 THEN 'minor' WHEN x < 65 THEN 'adult' ELSE 'senior' END}: ranges, literal results. */
    private boolean isRangeCase(RexCall call) {
        java.util.List<RexNode> operands = call.getOperands();
        for (int i = 0; i < operands.size(); i++) {
            boolean isCondition = i % 2 == 0 && i < operands.size() - 1;
            RexNode operand = operands.get(i);
            if (isCondition ? !isRangeCondition(operand) : !(operand instanceof RexLiteral)) {
                return false;
            }
        }
        return true;
    }

    private boolean isRangeCondition(RexNode node) {
        if (!(node instanceof RexCall call)) {
            return false;
        }
        return switch (call.getKind()) {
            case AND, OR -> call.getOperands().stream().allMatch(this::isRangeCondition);
            case LESS_THAN, LESS_THAN_OR_EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL ->
                    isColumnOrCoarse(call.getOperands().get(0)) && call.getOperands().get(1) instanceof RexLiteral
                            || isColumnOrCoarse(call.getOperands().get(1)) && call.getOperands().get(0) instanceof RexLiteral;
            case SEARCH -> isColumnOrCoarse(call.getOperands().get(0)) && isRangeSarg(call.getOperands().get(1));
            default -> false;
        };
    }

    private boolean isColumnOrCoarse(RexNode node) {
        return node instanceof RexTableInputRef || isCoarse(node);
    }

    private static boolean isRangeSarg(RexNode node) {
        if (!(node instanceof RexLiteral literal)) {
            return false;
        }
        Sarg<?> sarg = literal.getValueAs(Sarg.class);
        return sarg != null && sarg.pointCount == 0;
    }

    private Bucketing.DateUnit requiredDateUnit(RexCall extract) {
        RexNode operand = extract.getOperands().get(1);
        if (operand instanceof RexTableInputRef ref) {
            return columns.apply(PlanAnalysis.ref(ref)).bucketing().map(Bucketing::dateUnit).orElse(null);
        }
        return null;
    }

    /** The granularity an EXTRACT over a date quasi-identifier gives, or null if it is not one. */
    private Bucketing.DateUnit dateUnitOf(RexCall extract) {
        if (!(extract.getOperands().get(1) instanceof RexTableInputRef) || requiredDateUnit(extract) == null) {
            return null;
        }
        TimeUnitRange unit = ((RexLiteral) extract.getOperands().get(0)).getValueAs(TimeUnitRange.class);
        if (unit == null) {
            return null;
        }
        return switch (unit) {
            case YEAR -> Bucketing.DateUnit.YEAR;
            case QUARTER -> Bucketing.DateUnit.QUARTER;
            case MONTH -> Bucketing.DateUnit.MONTH;
            case DECADE -> Bucketing.DateUnit.DECADE;
            default -> null;
        };
    }

    private static boolean isIntegerType(RexCall call) {
        SqlTypeName type = call.getType().getSqlTypeName();
        return type == SqlTypeName.INTEGER || type == SqlTypeName.BIGINT || type == SqlTypeName.SMALLINT;
    }

    private static BigDecimal numericLiteral(RexNode node) {
        if (node instanceof RexLiteral literal && SqlTypeName.NUMERIC_TYPES.contains(literal.getType().getSqlTypeName())) {
            return literal.getValueAs(BigDecimal.class);
        }
        return null;
    }
}
