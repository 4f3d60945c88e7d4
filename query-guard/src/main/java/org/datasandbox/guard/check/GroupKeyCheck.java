package org.datasandbox.guard.check;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rex.RexNode;
import org.datasandbox.guard.analyze.Coarsening;
import org.datasandbox.guard.analyze.Granularity;
import org.datasandbox.guard.analyze.PlanAnalysis;
import org.datasandbox.guard.catalog.Bucketing;
import org.datasandbox.guard.catalog.ColumnRef;
import org.datasandbox.guard.catalog.ColumnRole;
import org.datasandbox.guard.catalog.GuardColumn;
import org.datasandbox.guard.explain.RuleId;
import org.datasandbox.guard.explain.Violation;

/**
 * Groups over individual rows may be formed by dimensions and sensitive attributes, and by coarse
 * buckets of quasi-identifiers as their policy allows. Identifiers, measures and exact quasi-identifier
 * values would make groups of one.
 */
final class GroupKeyCheck implements PlanCheck {

    @Override
    public void check(RelNode node, CheckContext context) {
        if (!(node instanceof Aggregate aggregate) || context.granularity(aggregate.getInput()) != Granularity.ROWS) {
            return;
        }
        if (context.granularity(aggregate) == Granularity.ROWS) {
            return; // grouped by the privacy unit: rows of people, judged as rows above, never released as such
        }
        RelNode input = aggregate.getInput();
        Map<ColumnRef, Coarsening.Buckets> buckets = new HashMap<>();
        for (int key : aggregate.getGroupSet()) {
            context.expand(input, CheckContext.field(input, key))
                    .ifPresent(set -> set.forEach(e -> context.coarsening().collectBuckets(e, buckets)));
        }
        for (Map.Entry<ColumnRef, Coarsening.Buckets> entry : buckets.entrySet()) {
            GuardColumn column = context.column(entry.getKey());
            boolean banded = column.role() == ColumnRole.QUASI_IDENTIFIER
                    || column.role() == ColumnRole.MEASURE && column.bucketing().isPresent();
            if (banded && !Coarsening.nested(entry.getValue())) {
                context.report(Violation.of(RuleId.GROUP_BY_NOT_DIMENSION, "grouping buckets " + entry.getKey()
                                        + " in two ways that together are finer than either",
                                context.locator().column(entry.getKey().column()))
                        .withSuggestion(suggestion(column)));
                return;
            }
        }
        for (int key : aggregate.getGroupSet()) {
            RexNode field = CheckContext.field(input, key);
            Optional<Set<RexNode>> expanded = context.expand(input, field);
            Set<ColumnRef> read = new java.util.TreeSet<>();
            if (expanded.isPresent()) {
                expanded.get().forEach(e -> read.addAll(PlanAnalysis.columnsOf(e)));
            } else {
                context.sources(input, key).ifPresent(read::addAll);
            }
            for (ColumnRef ref : read) {
                GuardColumn column = context.column(ref);
                boolean fine = switch (column.role()) {
                    case DIMENSION, SENSITIVE_ATTRIBUTE -> true;
                    case QUASI_IDENTIFIER -> expanded.isPresent()
                            && expanded.get().stream().allMatch(context.coarsening()::isCoarse);
                    // a measure only in the coarse bands its policy declares (income in bands of 10,000)
                    case MEASURE -> expanded.isPresent()
                            && expanded.get().stream().allMatch(e -> context.coarsening().isBanded(e, ref));
                    case PRIVACY_UNIT, DIRECT_IDENTIFIER -> false;
                };
                if (!fine) {
                    context.report(Violation.of(RuleId.GROUP_BY_NOT_DIMENSION,
                                    "grouping by " + ref + " (" + role(column) + ") would single people out",
                                    context.locator().column(ref.column()))
                            .withSuggestion(suggestion(column)));
                    return;
                }
            }
        }
    }

    static String suggestion(GuardColumn column) {
        String name = column.name();
        if (column.role() == ColumnRole.MEASURE && column.bucketing().isPresent()) {
            return "group by FLOOR(" + name + " / " + column.bucketing().get().minWidth() + ") instead of " + name;
        }
        if (column.role() == ColumnRole.QUASI_IDENTIFIER && column.bucketing().isPresent()) {
            Bucketing bucketing = column.bucketing().get();
            if (column.type().isNumeric()) {
                int width = Math.max(10, bucketing.minWidth());
                return "group by FLOOR(" + name + " / " + width + ") instead of " + name;
            }
            return switch (bucketing.dateUnit()) {
                case DECADE -> "group by FLOOR(YEAR(" + name + ") / 10) instead of " + name;
                case YEAR -> "group by YEAR(" + name + ") instead of " + name;
                case QUARTER, MONTH -> "group by YEAR(" + name + "), MONTH(" + name + ") instead of " + name;
            };
        }
        return "drop " + name + " from the GROUP BY";
    }

    private static String role(GuardColumn column) {
        return column.role().name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
