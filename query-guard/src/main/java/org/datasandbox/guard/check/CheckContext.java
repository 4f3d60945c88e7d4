package org.datasandbox.guard.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.datasandbox.guard.analyze.Coarsening;
import org.datasandbox.guard.analyze.Granularity;
import org.datasandbox.guard.analyze.PlanAnalysis;
import org.datasandbox.guard.analyze.QuasiIdentifierRanges;
import org.apache.calcite.plan.RelOptPredicateList;
import org.apache.calcite.rex.RexSimplify;
import org.datasandbox.guard.validate.NoReduction;
import org.datasandbox.guard.catalog.ColumnRef;
import org.datasandbox.guard.catalog.GuardCatalog;
import org.datasandbox.guard.catalog.GuardColumn;
import org.datasandbox.guard.catalog.Scenario;
import org.datasandbox.guard.explain.SqlLocator;
import org.datasandbox.guard.explain.Violation;

/** What checks share: the analysis of the plan, the policy, the SQL locator, and the violations found. */
public final class CheckContext {
    private final PlanAnalysis analysis;
    private final GuardCatalog catalog;
    private final Scenario scenario;
    private final SqlLocator locator;
    private final Coarsening coarsening;
    private final QuasiIdentifierRanges ranges;
    private final RexSimplify simplifier;
    private final org.datasandbox.guard.analyze.Lineage lineage;
    private final List<Violation> violations = new ArrayList<>();

    public CheckContext(PlanAnalysis analysis, GuardCatalog catalog, Scenario scenario, SqlLocator locator) {
        this.analysis = analysis;
        this.catalog = catalog;
        this.scenario = scenario;
        this.locator = locator;
        this.coarsening = new Coarsening(analysis::column);
        this.ranges = new QuasiIdentifierRanges(analysis::column);
        this.lineage = new org.datasandbox.guard.analyze.Lineage(analysis);
        this.simplifier = new RexSimplify(analysis.root().getCluster().getRexBuilder(), RelOptPredicateList.EMPTY,
                NoReduction.INSTANCE);
    }

    PlanAnalysis analysis() {
        return analysis;
    }

    GuardCatalog catalog() {
        return catalog;
    }

    Scenario scenario() {
        return scenario;
    }

    SqlLocator locator() {
        return locator;
    }

    Coarsening coarsening() {
        return coarsening;
    }

    /** Expressions written out over base columns through the whole plan below a node. */
    org.datasandbox.guard.analyze.Lineage lineage() {
        return lineage;
    }

    QuasiIdentifierRanges ranges() {
        return ranges;
    }

    /**
     * Merges comparisons on the same column into ranges and points, after folding date arithmetic on literals
     * ({@link ConstantDates}); never throws.
     */
    RexNode simplify(RexNode condition) {
        try {
            return simplifier.simplifyUnknownAsFalse(condition.accept(new ConstantDates(analysis.root().getCluster().getRexBuilder())));
        } catch (RuntimeException e) {
            return condition;
        }
    }

    Granularity granularity(RelNode node) {
        return analysis.granularity(node);
    }

    GuardColumn column(ColumnRef ref) {
        return analysis.column(ref);
    }

    void report(Violation violation) {
        violations.add(violation);
    }

    public List<Violation> violations() {
        return List.copyOf(violations);
    }

    /** More row paths than this below one node (UNION ALLs of UNION ALLs, joined) is refused, not judged. */
    private static final int MAX_PATHS = 256;

    /**
     * The filter conditions applied to the rows below a node, over base columns, one list per path a row
     * can take (one per combination of UNION ALL branches): what a new condition is combined with before it
     * is judged, so that {@code age >= 37} below and {@code age <= 37} above are seen together as the point
     * they make. Conditions of different branches are never combined: they apply to different rows, and
     * combined they could contradict each other (a branch {@code WHERE 1 = 0}, or {@code age < 30} in one
     * branch and {@code age >= 30} in the other) and hide every cut. A condition traced to several forms
     * joins every path with each form, which judges the right pairing among others (never less).
     */
    List<List<RexNode>> conditionsBelow(RelNode node) {
        List<List<RexNode>> paths = paths(node);
        return paths;
    }

    private List<List<RexNode>> paths(RelNode node) {
        if (node instanceof org.apache.calcite.rel.core.Aggregate || analysis.granularity(node) != Granularity.ROWS) {
            return List.of(List.of()); // aggregated rows were judged, and thresholded, on their own
        }
        List<List<RexNode>> below;
        if (node instanceof org.apache.calcite.rel.core.Union) {
            below = new ArrayList<>();
            for (RelNode input : node.getInputs()) {
                below.addAll(paths(input));
            }
        } else {
            below = List.of(List.of());
            for (RelNode input : node.getInputs()) {
                below = cross(below, paths(input));
            }
        }
        List<RexNode> conditions = new ArrayList<>();
        if (node instanceof org.apache.calcite.rel.core.Filter filter) {
            conditions.add(filter.getCondition());
        } else if (node instanceof org.apache.calcite.rel.core.Join join && join.getJoinType().projectsRight()) {
            // the parts of ON that filter one side; comparisons of the two sides are keys, not cuts
            int leftCount = join.getLeft().getRowType().getFieldCount();
            for (RexNode conjunct : org.apache.calcite.plan.RelOptUtil.conjunctions(join.getCondition())) {
                var fields = org.apache.calcite.plan.RelOptUtil.InputFinder.bits(conjunct);
                boolean bothSides = fields.nextSetBit(0) >= 0 && fields.nextSetBit(0) < leftCount
                        && fields.nextSetBit(leftCount) >= 0;
                if (!bothSides) {
                    conditions.add(conjunct);
                }
            }
        }
        RelNode input = node instanceof org.apache.calcite.rel.core.Filter ? node.getInput(0) : node;
        for (RexNode condition : conditions) {
            // untraceable conditions are refused by TraceableConditionCheck
            List<List<RexNode>> forms = new ArrayList<>();
            expand(input, condition).ifPresent(set -> set.forEach(f -> forms.add(List.of(f))));
            if (!forms.isEmpty()) {
                below = cross(below, forms);
            }
        }
        return below;
    }

    private static List<List<RexNode>> cross(List<List<RexNode>> left, List<List<RexNode>> right) {
        if (right.size() == 1 && right.get(0).isEmpty()) {
            return left;
        }
        if ((long) left.size() * right.size() > MAX_PATHS) {
            throw new org.datasandbox.guard.GuardException(org.datasandbox.guard.explain.RuleId.UNSUPPORTED_CONSTRUCT,
                    "too many combinations of UNION ALL branches to judge the filters", org.datasandbox.guard.explain.SqlPosition.UNKNOWN);
        }
        List<List<RexNode>> result = new ArrayList<>();
        for (List<RexNode> l : left) {
            for (List<RexNode> r : right) {
                List<RexNode> both = new ArrayList<>(l);
                both.addAll(r);
                result.add(both);
            }
        }
        return result;
    }

    /**
     * The expression expanded to base columns, or empty if it cannot be traced: Calcite's lineage, and where
     * that gives up (at an aggregate, at literal rows such as a UNION ALL branch folded to an empty VALUES)
     * the guard's own {@link org.datasandbox.guard.analyze.Lineage}, whose leaves for aggregated and literal
     * fields are dynamic parameters. A condition neither can trace is refused by {@link TraceableConditionCheck}.
     */
    Optional<Set<RexNode>> expand(RelNode input, RexNode expression) {
        Optional<Set<RexNode>> calcite = analysis.expand(input, expression);
        if (calcite.isPresent()) {
            return calcite;
        }
        return lineage.expand(input, expression).map(java.util.LinkedHashSet::new);
    }

    /** The base columns one input field of a node reads; empty if it cannot be traced. */
    Optional<Set<ColumnRef>> sources(RelNode input, int field) {
        return analysis.sources(input, field);
    }

    /** The base columns an expression over a node's fields reads, through column origins (never empty-handed). */
    Set<ColumnRef> columnsRead(RelNode input, RexNode expression) {
        Set<ColumnRef> refs = new java.util.TreeSet<>();
        for (int field : org.apache.calcite.plan.RelOptUtil.InputFinder.bits(expression)) {
            analysis.sources(input, field).ifPresent(refs::addAll);
        }
        return refs;
    }

    static RexNode field(RelNode node, int index) {
        return RexInputRef.of(index, node.getRowType());
    }
}
