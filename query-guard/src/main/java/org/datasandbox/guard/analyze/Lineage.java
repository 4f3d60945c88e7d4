package org.datasandbox.guard.analyze;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.core.Union;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexTableInputRef;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * An expression over a node's fields written out over base columns, through projections, filters, sorts,
 * joins and every branch of a UNION ALL: what a value really is, wherever in the query it was computed.
 * Leaves are {@link RexTableInputRef} for table columns and {@link RexDynamicParam} for fields of
 * aggregated sub-plans and literal rows (released groups, thresholded on their own, and constants: no
 * unit stands behind them as far as the rows above are concerned). Unlike Calcite's expression lineage it
 * never gives up at an aggregate or a VALUES, so that a share of a total through a scalar sub-query stays
 * traceable and a filter above a UNION ALL with an empty branch is still seen.
 *
 * <p>The expansion is exact: the whole expression is carried into each UNION ALL branch at once (a + b
 * over n branches has n forms, not n squared), and the two sides of a join are expanded as tuples, so the
 * forms are exactly the combinations of branches the rows can come from. Equal forms are kept once.
 */
public final class Lineage {
    /** More forms than this (UNION ALLs of UNION ALLs joined to more) is not traced: the caller refuses. */
    static final int MAX_FORMS = 1024;

    private final PlanAnalysis analysis;

    public Lineage(PlanAnalysis analysis) {
        this.analysis = analysis;
    }

    /** Every form the expression takes over base columns (one per UNION ALL branch), or empty. */
    public Optional<List<RexNode>> expand(RelNode node, RexNode expression) {
        Set<RexNode> found = new LinkedHashSet<>();
        return expandInto(node, expression, found) ? Optional.of(List.copyOf(found)) : Optional.empty();
    }

    /** The field's expression over base columns. */
    public Optional<List<RexNode>> expand(RelNode node, int field) {
        return expand(node, RexInputRef.of(field, node.getRowType()));
    }

    private boolean expandInto(RelNode node, RexNode expression, Set<RexNode> found) {
        RexBuilder rex = node.getCluster().getRexBuilder();
        ImmutableBitSet refs = RelOptUtil.InputFinder.bits(expression);
        if (refs.isEmpty()) {
            return add(found, expression);
        }
        if (analysis.granularity(node) != Granularity.ROWS) {
            return add(found, replace(expression, ref -> rex.makeDynamicParam(ref.getType(), ref.getIndex())));
        }
        if (node instanceof TableScan scan) {
            RelOptTable table = scan.getTable();
            return add(found, replace(expression, ref -> RexTableInputRef.of(RexTableInputRef.RelTableRef.of(table, 0),
                    ref.getIndex(), ref.getType())));
        }
        if (node instanceof Project project) {
            return expandInto(project.getInput(), RelOptUtil.pushPastProject(expression, project), found);
        }
        if (node instanceof Filter || node instanceof Sort) {
            return expandInto(node.getInput(0), expression, found);
        }
        if (node instanceof Union union && union.all) {
            for (RelNode input : union.getInputs()) {
                if (!expandInto(input, expression, found)) {
                    return false;
                }
            }
            return true;
        }
        if (node instanceof Join join) {
            return expandJoin(join, expression, refs, found);
        }
        if (node instanceof org.apache.calcite.rel.core.Aggregate aggregate && analysis.perUnitKey(aggregate).isPresent()) {
            // per-person rows: group keys are what they group, aggregated values are data about one person
            int groups = aggregate.getGroupCount();
            RexNode over = replace(expression, ref -> ref.getIndex() < groups
                    ? RexInputRef.of(aggregate.getGroupSet().nth(ref.getIndex()), aggregate.getInput().getRowType())
                    : PerUnitValue.of(rex, ref.getType(), ref.getIndex()));
            return expandInto(aggregate.getInput(), over, found);
        }
        return false;
    }

    /** Each side's referenced fields expanded as one tuple, then every pair of a left and a right form. */
    private boolean expandJoin(Join join, RexNode expression, ImmutableBitSet refs, Set<RexNode> found) {
        int leftCount = join.getLeft().getRowType().getFieldCount();
        List<Integer> leftFields = refs.asList().stream().filter(f -> f < leftCount).toList();
        List<Integer> rightFields = refs.asList().stream().filter(f -> f >= leftCount).toList();
        Optional<List<List<RexNode>>> left = tuples(join.getLeft(), leftFields, 0);
        Optional<List<List<RexNode>>> right = tuples(join.getRight(), rightFields, leftCount);
        if (left.isEmpty() || right.isEmpty() || (long) left.get().size() * right.get().size() > MAX_FORMS) {
            return false;
        }
        for (List<RexNode> l : left.get()) {
            for (List<RexNode> r : right.get()) {
                RexNode form = replace(expression, ref -> {
                    int at = leftFields.indexOf(ref.getIndex());
                    return at >= 0 ? l.get(at) : r.get(rightFields.indexOf(ref.getIndex()));
                });
                if (!add(found, form)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The forms of several fields of one input together, aligned (row by row they come from one branch). */
    private Optional<List<List<RexNode>>> tuples(RelNode input, List<Integer> fields, int shift) {
        if (fields.isEmpty()) {
            return Optional.of(List.of(List.of()));
        }
        RexBuilder rex = input.getCluster().getRexBuilder();
        List<RexNode> refs = new ArrayList<>();
        for (int field : fields) {
            refs.add(RexInputRef.of(field - shift, input.getRowType()));
        }
        Set<RexNode> rows = new LinkedHashSet<>();
        if (!expandInto(input, rex.makeCall(SqlStdOperatorTable.ROW, refs), rows)) {
            return Optional.empty();
        }
        List<List<RexNode>> tuples = new ArrayList<>();
        for (RexNode row : rows) {
            tuples.add(((RexCall) row).getOperands());
        }
        return Optional.of(tuples);
    }

    private static boolean add(Set<RexNode> found, RexNode form) {
        found.add(form);
        return found.size() <= MAX_FORMS;
    }

    private static RexNode replace(RexNode expression, java.util.function.Function<RexInputRef, RexNode> leaf) {
        return expression.accept(new RexShuttle() {
            @Override
            public RexNode visitInputRef(RexInputRef ref) {
                return leaf.apply(ref);
            }
        });
    }
}
