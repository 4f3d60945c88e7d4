package org.datasandbox.guard.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Set;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeSystem;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexFieldCollation;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexOver;
import org.apache.calcite.rex.RexWindowBounds;
import org.apache.calcite.rex.RexWindowExclusion;
import org.apache.calcite.sql.SqlAggFunction;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeFactoryImpl;
import org.apache.calcite.sql.type.SqlTypeName;
import org.junit.jupiter.api.Test;

/**
 * Rule: a window whose value may follow the order tied rows arrive in gets tie-breakers; only the ranks that give
 * ties one value and the aggregates known to be order-free over a frame ties do not split are left as written.
 * Deny by default: an aggregate not known to be order-free (one that collects rows into a list) counts as
 * order-dependent over any frame, whether or not the guard allows it in a window today.
 */
class WindowOrderTest {
    private final SqlTypeFactoryImpl types = new SqlTypeFactoryImpl(RelDataTypeSystem.DEFAULT);
    private final RexBuilder rex = new RexBuilder(types);
    private final RelDataType bigint = types.createSqlType(SqlTypeName.BIGINT);

    /** {@code f(n) OVER (ORDER BY n)}: Calcite's default RANGE frame from the partition's start to the current row. */
    private RexOver overRangeFrame(SqlAggFunction function, RelDataType type) {
        RexNode n = rex.makeInputRef(bigint, 0);
        RexNode over = rex.makeOver(type, function, List.of(n), List.of(),
                ImmutableList.of(new RexFieldCollation(n, Set.of())), RexWindowBounds.UNBOUNDED_PRECEDING,
                RexWindowBounds.CURRENT_ROW, RexWindowExclusion.EXCLUDE_NO_OTHER, false, true, false, false, false);
        return (RexOver) over;
    }

    @Test
    void orderDependent_orderFreeAggregatesOverARangeFrame_areLeftAsWritten() {
        for (SqlAggFunction function : List.of(SqlStdOperatorTable.SUM, SqlStdOperatorTable.COUNT, SqlStdOperatorTable.MIN,
                SqlStdOperatorTable.MAX, SqlStdOperatorTable.AVG)) {
            assertThat(WindowOrder.orderDependent(overRangeFrame(function, bigint))).as(function.getName()).isFalse();
        }
    }

    @Test
    void orderDependent_anAggregateNotKnownToBeOrderFree_isOrderDependentOverARangeFrameToo() {
        assertThat(WindowOrder.orderDependent(overRangeFrame(SqlStdOperatorTable.COLLECT,
                types.createMultisetType(bigint, -1)))).isTrue();
    }
}
