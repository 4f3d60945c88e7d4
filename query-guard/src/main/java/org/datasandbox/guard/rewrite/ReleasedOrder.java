package org.datasandbox.guard.rewrite;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.calcite.rel.RelCollation;
import org.apache.calcite.rel.RelCollations;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * The order of released rows is an output too, and may depend only on released values. An {@code ORDER BY} orders
 * rows by its keys; rows that tie on them come out in whatever order Spark produced them, which follows the order
 * in which the rows below were read (which group's first row is stored first: a fact about people's rows, not a
 * released value), and that order also decides which tied rows a {@code LIMIT} keeps. So every sort (and every
 * {@code LIMIT}/{@code OFFSET} without one) gets the rows' own values as tie-breakers, each field of its input not
 * already a key, ascending: rows that still tie are equal in every value and indistinguishable. Applied after the
 * threshold rewrite, whose nodes keep the row types of the ones they replace, so the fields are the query's own,
 * suppressed cells already NULL; the fields that count people are not among them.
 */
public final class ReleasedOrder {

    private ReleasedOrder() {
    }

    /** The plan with every sort made total over its rows' values; the same object when none needed it. */
    public static RelNode tieBreak(RelNode node) {
        List<RelNode> inputs = new ArrayList<>();
        boolean changed = false;
        for (RelNode input : node.getInputs()) {
            RelNode rewritten = tieBreak(input);
            changed |= rewritten != input;
            inputs.add(rewritten);
        }
        RelNode result = changed ? node.copy(node.getTraitSet(), inputs) : node;
        if (!(result instanceof Sort sort)
                || sort.getCollation().getFieldCollations().isEmpty() && sort.fetch == null && sort.offset == null) {
            return result;
        }
        List<RelFieldCollation> keys = new ArrayList<>(sort.getCollation().getFieldCollations());
        Set<Integer> sorted = new HashSet<>();
        keys.forEach(key -> sorted.add(key.getFieldIndex()));
        List<RelDataTypeField> fields = sort.getInput().getRowType().getFieldList();
        for (int i = 0; i < fields.size(); i++) {
            if (!sorted.contains(i) && orderable(fields.get(i).getType().getSqlTypeName())) {
                keys.add(new RelFieldCollation(i, RelFieldCollation.Direction.ASCENDING,
                        RelFieldCollation.NullDirection.FIRST));
            }
        }
        if (keys.size() == sort.getCollation().getFieldCollations().size()) {
            return result;
        }
        RelCollation total = RelCollations.of(keys);
        return sort.copy(sort.getTraitSet().replace(total), sort.getInput(), total, sort.offset, sort.fetch);
    }

    private static boolean orderable(SqlTypeName type) {
        return type != SqlTypeName.MAP && type != SqlTypeName.MULTISET && type != SqlTypeName.ANY
                && type != SqlTypeName.ROW && type != SqlTypeName.GEOMETRY;
    }
}
