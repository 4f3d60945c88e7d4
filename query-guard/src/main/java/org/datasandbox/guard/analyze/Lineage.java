package org.datasandbox.guard.analyze;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.core.Union;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexTableInputRef;

/**
 * An expression over a node's fields written out over base columns, through projections, filters, sorts,
 * joins and every branch of a UNION ALL: what a value really is, wherever in the query it was computed.
 * Leaves are {@link RexTableInputRef} for table columns and {@link RexDynamicParam} for fields of
 * aggregated sub-plans (released groups, thresholded on their own: constants as far as the rows above are
 * concerned). Unlike Calcite's expression lineage it never gives up at an aggregate, so that a share of a
 * total through a scalar sub-query stays traceable.
 */
public final class Lineage {
    /** More expansions than this (a UNION ALL of many branches, nested) is not traced. */
    private static final int MAX_EXPANSIONS = 64;

    private final PlanAnalysis analysis;

    public Lineage(PlanAnalysis analysis) {
        this.analysis = analysis;
    }

    /** Every form the expression takes over base columns (one per UNION ALL branch), or empty. */
    public Optional<List<RexNode>> expand(RelNode node, RexNode expression) {
        List<RexNode> found = new ArrayList<>();
        return expandInto(node, expression, found) ? Optional.of(found) : Optional.empty();
    }

    /** The field's expression over base columns. */
    public Optional<List<RexNode>> expand(RelNode node, int field) {
        return expand(node, RexInputRef.of(field, node.getRowType()));
    }

    private boolean expandInto(RelNode node, RexNode expression, List<RexNode> found) {
        RexBuilder rex = node.getCluster().getRexBuilder();
        List<RexNode> current = List.of(expression);
        for (int ref : org.apache.calcite.plan.RelOptUtil.InputFinder.bits(expression)) {
            Optional<List<RexNode>> forms = field(node, ref, rex);
            if (forms.isEmpty()) {
                return false;
            }
            List<RexNode> next = new ArrayList<>();
            for (RexNode partial : current) {
                for (RexNode form : forms.get()) {
                    next.add(substitute(partial, ref, form));
                    if (next.size() > MAX_EXPANSIONS) {
                        return false;
                    }
                }
            }
            current = next;
        }
        found.addAll(current);
        return true;
    }

    private Optional<List<RexNode>> field(RelNode node, int field, RexBuilder rex) {
        if (analysis.granularity(node) != Granularity.ROWS) {
            return Optional.of(List.of(rex.makeDynamicParam(node.getRowType().getFieldList().get(field).getType(), field)));
        }
        if (node instanceof TableScan scan) {
            RelOptTable table = scan.getTable();
            return Optional.of(List.of(RexTableInputRef.of(RexTableInputRef.RelTableRef.of(table, 0), field,
                    scan.getRowType().getFieldList().get(field).getType())));
        }
        List<RexNode> found = new ArrayList<>();
        boolean traced;
        if (node instanceof Project project) {
            traced = expandInto(project.getInput(), project.getProjects().get(field), found);
        } else if (node instanceof Filter || node instanceof Sort) {
            traced = expandInto(node.getInput(0), RexInputRef.of(field, node.getRowType()), found);
        } else if (node instanceof Join join) {
            int leftCount = join.getLeft().getRowType().getFieldCount();
            traced = field < leftCount
                    ? expandInto(join.getLeft(), RexInputRef.of(field, join.getLeft().getRowType()), found)
                    : expandInto(join.getRight(), RexInputRef.of(field - leftCount, join.getRight().getRowType()), found);
        } else if (node instanceof Union union && union.all) {
            traced = true;
            for (RelNode input : union.getInputs()) {
                traced &= expandInto(input, RexInputRef.of(field, input.getRowType()), found);
            }
        } else {
            traced = false;
        }
        return traced && found.size() <= MAX_EXPANSIONS ? Optional.of(found) : Optional.empty();
    }

    private static RexNode substitute(RexNode expression, int field, RexNode replacement) {
        return expression.accept(new RexShuttle() {
            @Override
            public RexNode visitInputRef(RexInputRef ref) {
                return ref.getIndex() == field ? replacement : ref;
            }
        });
    }
}
