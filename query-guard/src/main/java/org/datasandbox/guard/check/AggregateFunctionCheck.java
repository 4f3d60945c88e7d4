package org.datasandbox.guard.check;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.sql.SqlKind;
import org.datasandbox.guard.analyze.Granularity;
import org.datasandbox.guard.catalog.ColumnRef;
import org.datasandbox.guard.catalog.ColumnRole;
import org.datasandbox.guard.catalog.GuardColumn;
import org.datasandbox.guard.explain.RuleId;
import org.datasandbox.guard.explain.Violation;

/**
 * Aggregates over individual rows in threshold mode: counts, and sums and averages of measures,
 * numeric dimensions and expressions over non-identifying columns. MIN, MAX, percentiles, first/last and single values reveal one person's value;
 * string and collection aggregates carry rows out inside one cell; identifiers are never aggregated.
 * Aggregates over already-aggregated rows are post-processing and not restricted here.
 */
final class AggregateFunctionCheck implements PlanCheck {
    private static final Set<SqlKind> SUMS = EnumSet.of(SqlKind.SUM, SqlKind.SUM0, SqlKind.AVG);
    private static final Set<SqlKind> EXTREMES = EnumSet.of(
            SqlKind.MIN, SqlKind.MAX, SqlKind.ANY_VALUE, SqlKind.FIRST_VALUE, SqlKind.LAST_VALUE,
            SqlKind.SINGLE_VALUE, SqlKind.PERCENTILE_CONT, SqlKind.PERCENTILE_DISC, SqlKind.MODE,
            SqlKind.STDDEV_POP, SqlKind.STDDEV_SAMP, SqlKind.VAR_POP, SqlKind.VAR_SAMP, SqlKind.ARG_MAX,
            SqlKind.ARG_MIN, SqlKind.BIT_AND, SqlKind.BIT_OR, SqlKind.BIT_XOR, SqlKind.NTH_VALUE);
    private static final Set<SqlKind> COLLECTIONS = EnumSet.of(
            SqlKind.COLLECT, SqlKind.LISTAGG, SqlKind.ARRAY_AGG, SqlKind.ARRAY_CONCAT_AGG, SqlKind.STRING_AGG,
            SqlKind.JSON_ARRAYAGG, SqlKind.JSON_OBJECTAGG, SqlKind.FUSION, SqlKind.INTERSECTION);

    @Override
    public void check(RelNode node, CheckContext context) {
        if (!(node instanceof Aggregate aggregate) || context.granularity(aggregate.getInput()) != Granularity.ROWS) {
            return;
        }
        for (AggregateCall call : aggregate.getAggCallList()) {
            checkCall(aggregate.getInput(), call, context);
        }
    }

    private static void checkCall(RelNode input, AggregateCall call, CheckContext context) {
        SqlKind kind = call.getAggregation().getKind();
        String name = call.getAggregation().getName().toLowerCase(Locale.ROOT);
        Set<ColumnRef> read = new java.util.TreeSet<>();
        boolean traced = true;
        for (int arg : call.getArgList()) {
            Optional<Set<ColumnRef>> sources = context.sources(input, arg);
            traced &= sources.isPresent();
            sources.ifPresent(read::addAll);
        }
        if (COLLECTIONS.contains(kind)) {
            report(context, RuleId.COLLECTION_AGGREGATE, name + " would release row values inside one cell", name,
                    "count the values instead, grouped by a dimension");
        } else if (kind == SqlKind.COUNT) {
            Optional<ColumnRef> bad = read.stream()
                    .filter(r -> call.isDistinct() && isIdentifyingForDistinct(context.column(r))).findFirst();
            bad.ifPresent(r -> report(context, RuleId.IDENTIFIER_AGGREGATE,
                    "count(distinct " + r.column() + ") counts values of a " + role(context.column(r)), name,
                    "count(distinct <privacy unit>) counts people"));
            // The number of distinct values of anything but the privacy unit moves by one with a single
            // person whose value nobody else has: a yes/no answer about that person.
            boolean countsPeople = traced && !read.isEmpty()
                    && read.stream().allMatch(r -> context.column(r).role() == ColumnRole.PRIVACY_UNIT);
            if (bad.isEmpty() && call.isDistinct() && !countsPeople) {
                report(context, RuleId.EXTREME_VALUE_AGGREGATE, "count(distinct ...) of values one person may hold alone",
                        name, "count the groups of a sub-query instead: SELECT COUNT(*) FROM (SELECT d FROM t GROUP BY d) g");
            }
        } else if (SUMS.contains(kind)) {
            if (!traced) {
                report(context, RuleId.UNSUPPORTED_CONSTRUCT, "cannot trace the argument of " + name, name, null);
            }
            // Sums and averages of expressions over granted columns are fine (an indicator's average is a
            // share; its cells are thresholded), but never of identifiers, nor of a quasi-identifier that
            // has no bounds (its exact values would come back one by one).
            read.stream().filter(r -> context.column(r).role().isIdentifier()
                    || context.column(r).role() == ColumnRole.QUASI_IDENTIFIER && context.column(r).bounds().isEmpty())
                    .findFirst().ifPresent(r -> report(context, RuleId.IDENTIFIER_AGGREGATE,
                            name + " of " + r + " (" + role(context.column(r)) + ") is not allowed", name,
                            "aggregate a measure, or count rows per bucket"));
        } else if (EXTREMES.contains(kind)) {
            // MIN and MAX of dimensions only: the rewrite lets them see only values that k units of the
            // group share, since even a dimension's extreme may be one person's alone.
            boolean onlyDimensions = traced && read.stream().allMatch(r -> context.column(r).role() == ColumnRole.DIMENSION);
            boolean minOrMax = kind == SqlKind.MIN || kind == SqlKind.MAX;
            if (!(minOrMax && onlyDimensions && !read.isEmpty())) {
                report(context, RuleId.EXTREME_VALUE_AGGREGATE, name + " would reveal an individual value", name,
                        "use avg or a count per bucket; min and max only of dimensions; percentiles need DP mode or review");
            }
        } else {
            report(context, RuleId.FUNCTION_NOT_ALLOWED, "aggregate " + name + " is not allowed", name, null);
        }
    }

    private static boolean isIdentifyingForDistinct(GuardColumn column) {
        return column.role() == ColumnRole.DIRECT_IDENTIFIER || column.role() == ColumnRole.QUASI_IDENTIFIER;
    }

    private static String role(GuardColumn column) {
        return column.role().name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private static void report(CheckContext context, RuleId rule, String detail, String function, String suggestion) {
        Violation violation = Violation.of(rule, detail, context.locator().call(function));
        context.report(suggestion == null ? violation : violation.withSuggestion(suggestion));
    }
}
