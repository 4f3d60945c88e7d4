package org.datasandbox.guard.rewrite;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.calcite.rel.RelCollation;
import org.apache.calcite.rel.RelCollations;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.logical.LogicalSort;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexOver;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * The order of released rows is an output too, and may depend only on released values. An {@code ORDER BY} orders
 * rows by its keys; rows that tie on them come out in whatever order Spark produced them, which follows the order
 * in which the rows below were read (which group's first row is stored first: a fact about people's rows, not a
 * released value), and that order also decides which tied rows a {@code LIMIT} keeps. So every sort (and every
 * {@code LIMIT}/{@code OFFSET} without one) gets the rows' own values as tie-breakers, each field of its input not
 * already a key, ascending: rows that still tie are equal in every value and indistinguishable. A window that
 * numbers, tiles or looks across tied rows gets the same tie-breakers ({@link WindowOrder}), and a release whose
 * rows no sort orders is sorted by all its values. Applied after the threshold rewrite, whose nodes keep the row
 * types of the ones they replace, so the fields are the query's own, suppressed cells already NULL; the fields that
 * count people are not among them.
 */
public final class ReleasedOrder {

    private ReleasedOrder() {
    }

    /**
     * The plan of a release: every sort and window made total over its rows' values ({@link #tieBreak}), and the
     * released rows themselves in an order of their values when nothing orders them (a plain {@code GROUP BY}
     * releases its groups in the order their first rows were read; a {@code UNION}, a window, a join do the same).
     */
    public static RelNode release(RelNode root) {
        RelNode tieBroken = tieBreak(root);
        if (ordered(tieBroken)) {
            return tieBroken;
        }
        RelCollation all = RelCollations.of(valueKeys(tieBroken, Set.of()));
        return all.getFieldCollations().isEmpty() ? tieBroken : LogicalSort.create(tieBroken, all, null, null);
    }

    /** The plan with every sort and every order-dependent window made total over its rows' values. */
    public static RelNode tieBreak(RelNode node) {
        List<RelNode> inputs = new ArrayList<>();
        boolean changed = false;
        for (RelNode input : node.getInputs()) {
            RelNode rewritten = tieBreak(input);
            changed |= rewritten != input;
            inputs.add(rewritten);
        }
        RelNode result = changed ? node.copy(node.getTraitSet(), inputs) : node;
        if (result instanceof Project project && RexOver.containsOver(project.getProjects(), null)) {
            return WindowOrder.complete(project);
        }
        if (!(result instanceof Sort sort)
                || sort.getCollation().getFieldCollations().isEmpty() && sort.fetch == null && sort.offset == null) {
            return result;
        }
        List<RelFieldCollation> keys = new ArrayList<>(sort.getCollation().getFieldCollations());
        Set<Integer> sorted = new HashSet<>();
        keys.forEach(key -> sorted.add(key.getFieldIndex()));
        keys.addAll(valueKeys(sort.getInput(), sorted));
        if (keys.size() == sort.getCollation().getFieldCollations().size()) {
            return result;
        }
        RelCollation total = RelCollations.of(keys);
        return sort.copy(sort.getTraitSet().replace(total), sort.getInput(), total, sort.offset, sort.fetch);
    }

    /**
     * Whether the rows of a tie-broken plan come out in an order of their values: a sort with keys, seen through
     * filters and projections that keep its order (a projection with a window does not: Spark re-sorts its rows
     * by the window's partition).
     */
    private static boolean ordered(RelNode node) {
        if (node instanceof Sort sort) {
            return !sort.getCollation().getFieldCollations().isEmpty();
        }
        if (node instanceof Filter filter) {
            return ordered(filter.getInput());
        }
        if (node instanceof Project project && !RexOver.containsOver(project.getProjects(), null)) {
            return ordered(project.getInput());
        }
        return false;
    }

    /** Each field of the rows that can be ordered and is not among {@code skip}, ascending, NULLs first. */
    static List<RelFieldCollation> valueKeys(RelNode rows, Set<Integer> skip) {
        List<RelFieldCollation> keys = new ArrayList<>();
        List<RelDataTypeField> fields = rows.getRowType().getFieldList();
        for (int i = 0; i < fields.size(); i++) {
            if (!skip.contains(i) && orderable(fields.get(i).getType().getSqlTypeName())) {
                keys.add(new RelFieldCollation(i, RelFieldCollation.Direction.ASCENDING,
                        RelFieldCollation.NullDirection.FIRST));
            }
        }
        return keys;
    }

    private static boolean orderable(SqlTypeName type) {
        return type != SqlTypeName.MAP && type != SqlTypeName.MULTISET && type != SqlTypeName.ANY
                && type != SqlTypeName.ROW && type != SqlTypeName.GEOMETRY;
    }
}
