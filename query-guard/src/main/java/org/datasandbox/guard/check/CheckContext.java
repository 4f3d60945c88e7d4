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

    /** Merges comparisons on the same column into ranges and points; never throws. */
    RexNode simplify(RexNode condition) {
        try {
            return simplifier.simplifyUnknownAsFalse(condition);
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

    /**
     * Every filter condition applied to the rows below a node, over base columns: what a new condition
     * is combined with before it is judged, so that {@code age >= 37} below and {@code age <= 37} above
     * are seen together as the point they make.
     */
    List<RexNode> conditionsBelow(RelNode node) {
        List<RexNode> found = new ArrayList<>();
        collectConditions(node, found);
        return found;
    }

    private void collectConditions(RelNode node, List<RexNode> found) {
        if (node instanceof org.apache.calcite.rel.core.Aggregate || analysis.granularity(node) != Granularity.ROWS) {
            return; // aggregated rows were judged, and thresholded, on their own
        }
        // Every traced form counts: one per UNION ALL branch, each of them narrowing its own rows, so that
        // a check that combines them sees at least as narrow a cut as any branch makes (never less).
        if (node instanceof org.apache.calcite.rel.core.Filter filter) {
            expand(filter.getInput(), filter.getCondition()).ifPresent(found::addAll);
        } else if (node instanceof org.apache.calcite.rel.core.Join join && join.getJoinType().projectsRight()) {
            // the parts of ON that filter one side; comparisons of the two sides are keys, not cuts
            int leftCount = join.getLeft().getRowType().getFieldCount();
            for (RexNode conjunct : org.apache.calcite.plan.RelOptUtil.conjunctions(join.getCondition())) {
                var fields = org.apache.calcite.plan.RelOptUtil.InputFinder.bits(conjunct);
                boolean bothSides = fields.nextSetBit(0) >= 0 && fields.nextSetBit(0) < leftCount
                        && fields.nextSetBit(leftCount) >= 0;
                if (!bothSides) {
                    expand(join, conjunct).ifPresent(found::addAll);
                }
            }
        }
        for (RelNode input : node.getInputs()) {
            collectConditions(input, found);
        }
    }

    /** The expression expanded to base columns, or empty if it cannot be traced. */
    Optional<Set<RexNode>> expand(RelNode input, RexNode expression) {
        return analysis.expand(input, expression);
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
