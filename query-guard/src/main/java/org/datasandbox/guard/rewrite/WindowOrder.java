package org.datasandbox.guard.rewrite;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexFieldCollation;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexOver;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexWindow;
import org.apache.calcite.rex.RexWindowBounds;
import org.apache.calcite.sql.SqlKind;

/**
 * A window's value is released, and may depend only on released values. {@code ROW_NUMBER}, {@code NTILE},
 * {@code LAG}/{@code LEAD}, {@code FIRST_VALUE}/{@code LAST_VALUE} and an aggregate over a {@code ROWS} frame read
 * the rows of a partition in the window's order, and rows that tie on its {@code ORDER BY} (or all of them, without
 * one) arrive in the order Spark read them: the storage order decides which tied group is numbered first, which one
 * is the previous row, which rows a frame holds. So each such window gets the rows' own values as tie-breakers,
 * exactly as {@link ReleasedOrder} does for a sort: each field of its input that is neither a partition key nor an
 * order key, ascending; rows that still tie are equal in every value, so whichever comes first, the same values are
 * released. Tie-safe windows are left as written, since more keys would change their value: a rank, dense rank,
 * percent rank and cumulative distribution give tied rows one value, and a sum, average, count, minimum or maximum
 * over a {@code RANGE} frame (the default with an {@code ORDER BY}) or over the whole partition reads a set of rows
 * that ties do not split.
 */
final class WindowOrder {
    private static final Set<SqlKind> TIE_SAFE_RANKS = EnumSet.of(SqlKind.RANK, SqlKind.DENSE_RANK,
            SqlKind.PERCENT_RANK, SqlKind.CUME_DIST);
    private static final Set<SqlKind> ROW_READING = EnumSet.of(SqlKind.ROW_NUMBER, SqlKind.NTILE, SqlKind.LAG,
            SqlKind.LEAD, SqlKind.FIRST_VALUE, SqlKind.LAST_VALUE, SqlKind.NTH_VALUE);

    /** Aggregates whose value over a set of rows does not depend on the order they arrive in. */
    private static final Set<SqlKind> ORDER_FREE_AGGREGATES = EnumSet.of(SqlKind.SUM, SqlKind.SUM0, SqlKind.AVG,
            SqlKind.COUNT, SqlKind.MIN, SqlKind.MAX);

    private static final Set<SqlKind> POSITIONAL = EnumSet.of(SqlKind.ROW_NUMBER, SqlKind.NTILE, SqlKind.LAG,
            SqlKind.LEAD);

    private WindowOrder() {
    }

    /** The projection with each order-dependent window's order completed; the same object when none needed it. */
    static RelNode complete(Project project) {
        RelNode input = project.getInput();
        RexBuilder rexBuilder = project.getCluster().getRexBuilder();
        RexShuttle completer = new RexShuttle() {
            @Override
            public RexNode visitOver(RexOver over) {
                RexOver visited = (RexOver) super.visitOver(over);
                return orderDependent(visited) ? completed(visited, input, rexBuilder) : visited;
            }
        };
        List<RexNode> projects = completer.apply(project.getProjects());
        if (projects.equals(project.getProjects())) {
            return project;
        }
        return project.copy(project.getTraitSet(), input, projects, project.getRowType());
    }

    /**
     * Whether tied rows can take different values depending on the order they arrive in: a function of a row's
     * position, an aggregate over a frame counted in rows that is not the whole partition, or an aggregate not known
     * to be order-free over any frame. Anything not known to be tie-safe counts as order-dependent.
     */
    static boolean orderDependent(RexOver over) {
        SqlKind kind = over.getAggOperator().getKind();
        if (TIE_SAFE_RANKS.contains(kind)) {
            return false;
        }
        if (ROW_READING.contains(kind) || !ORDER_FREE_AGGREGATES.contains(kind)) {
            return true; // deny by default: an aggregate not known to be order-free (a list's) may follow the order
        }
        RexWindow window = over.getWindow();
        boolean wholePartition = window.getLowerBound().isUnbounded() && window.getLowerBound().isPreceding()
                && window.getUpperBound().isUnbounded() && window.getUpperBound().isFollowing();
        return window.isRows() && !wholePartition;
    }

    private static RexNode completed(RexOver over, RelNode input, RexBuilder rexBuilder) {
        RexWindow window = over.getWindow();
        Set<Integer> keyed = new HashSet<>();
        window.partitionKeys.forEach(key -> fieldOf(key, keyed));
        window.orderKeys.forEach(key -> fieldOf(key.left, keyed));
        List<RelFieldCollation> extra = ReleasedOrder.valueKeys(input, keyed);
        if (extra.isEmpty()) {
            return over;
        }
        List<RexFieldCollation> orderKeys = new ArrayList<>(window.orderKeys);
        for (RelFieldCollation key : extra) {
            // ascending, NULLs first: Spark's default for an ascending key, written out so no dialect changes it
            orderKeys.add(new RexFieldCollation(rexBuilder.makeInputRef(input, key.getFieldIndex()),
                    EnumSet.of(SqlKind.NULLS_FIRST)));
        }
        // a row number, tile or offset reads positions, not a frame: it gets the one frame Spark accepts for them
        // (ROWS from the partition's start to the current row; Spark refuses NTILE over the RANGE frame Calcite
        // writes); an aggregate keeps the frame it was given
        boolean positional = POSITIONAL.contains(over.getAggOperator().getKind());
        return rexBuilder.makeOver(over.getType(), over.getAggOperator(), over.getOperands(), window.partitionKeys,
                ImmutableList.copyOf(orderKeys),
                positional ? RexWindowBounds.UNBOUNDED_PRECEDING : window.getLowerBound(),
                positional ? RexWindowBounds.CURRENT_ROW : window.getUpperBound(), window.getExclude(),
                positional || window.isRows(), true, false, over.isDistinct(), over.ignoreNulls());
    }

    private static void fieldOf(RexNode key, Set<Integer> fields) {
        if (key instanceof RexInputRef ref) {
            fields.add(ref.getIndex());
        }
    }
}
