package org.datasandbox.guard.check;

import java.util.List;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelVisitor;
import org.datasandbox.guard.explain.Violation;

/** Every rule of the guard, in the order they are applied; the first violation found is the one reported. */
public final class Checks {
    private static final List<PlanCheck> ALL = List.of(
            new SupportedConstructCheck(),
            new FunctionAllowListCheck(),
            new DataDependentFailureCheck(),
            new StringLiteralCheck(),
            new ModOfApproximateCheck(),
            new WindowOverRowsCheck(),
            new GroupingSetsCheck(),
            new RowLevelOutputCheck(),
            new TraceableConditionCheck(),
            new IdentifierFilterCheck(),
            new AggregateFunctionCheck(),
            new AggregateArgumentCheck(),
            new GroupKeyCheck(),
            new GroupKeyOfAggregateValueCheck(true),
            new BucketFilterCheck(),
            new JoinKeyCheck(),
            new RowLimitCheck(),
            new SubtotalsCheck());

    /**
     * DP mode keeps the checks that make failures, errors and timing data-independent and that keep the
     * query within what the guard can analyze (supported constructs, the function allow-list, data-dependent
     * failures, windows, grouping sets), the ones about what may leave at all (row-level output, group keys
     * only from dimensions or buckets: a key is released as it is, without noise) and the ones that keep
     * rows attributable (join keys, identifier filters, row limits). The k-threshold checks do not apply:
     * noise over bounded contributions protects a value whatever the cut of its group, so aggregate
     * functions and arguments (the DP rewrite has its own, stricter grammar: clamped linear combinations),
     * bucket filters and subtotals are left to it and to the budget.
     * <p>
     * Four more hold whatever the mode, because the noise is calibrated to the query the guard judged:
     * <ul>
     *   <li>{@link StringLiteralCheck} and {@link ModOfApproximateCheck}: the SQL Spark runs must mean what the
     *       guard judged (a backslash literal, a MOD of a double through {@code DECIMAL(19, 15)}); otherwise a
     *       filter, key or public domain the guard judged is not the one Spark applies;</li>
     *   <li>{@link TraceableConditionCheck}: the identifier rule (kept above) judges a condition only where it
     *       can be traced to the columns it reads, so an untraceable condition would escape it;</li>
     *   <li>{@link GroupKeyOfAggregateValueCheck}: a computation over aggregate values is post-processing only
     *       over values the mechanism has released, and DP mode adds its noise after the plan has run, so a key
     *       computed in the plan from an aggregate's value reads it before noise; a released key carries no noise
     *       either, so it is that value released exactly, and whether it exists moves with one person whatever the units of its
     *       own group (the DP rewrite also refuses aggregates below the released one; the rule is stated here,
     *       not left to the rewrite's grammar).</li>
     * </ul>
     */
    private static final List<PlanCheck> DP = List.of(
            new SupportedConstructCheck(),
            new FunctionAllowListCheck(),
            new DataDependentFailureCheck(),
            new StringLiteralCheck(),
            new ModOfApproximateCheck(),
            new WindowOverRowsCheck(),
            new GroupingSetsCheck(),
            new RowLevelOutputCheck(),
            new TraceableConditionCheck(),
            new IdentifierFilterCheck(),
            new GroupKeyCheck(),
            new GroupKeyOfAggregateValueCheck(false),
            new JoinKeyCheck(),
            new RowLimitCheck());

    private Checks() {
    }

    /** Applies every check to every node of the plan. */
    public static List<Violation> run(RelNode root, CheckContext context) {
        return run(ALL, root, context);
    }

    /** Applies the checks that still hold in DP mode (see {@link #DP}) to every node of the plan. */
    public static List<Violation> runDp(RelNode root, CheckContext context) {
        return run(DP, root, context);
    }

    private static List<Violation> run(List<PlanCheck> checks, RelNode root, CheckContext context) {
        for (PlanCheck check : checks) {
            new RelVisitor() {
                @Override
                public void visit(RelNode node, int ordinal, RelNode parent) {
                    check.check(node, context);
                    super.visit(node, ordinal, parent);
                }
            }.go(root);
        }
        return context.violations();
    }
}
