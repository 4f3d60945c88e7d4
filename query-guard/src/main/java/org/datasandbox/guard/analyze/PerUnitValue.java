package org.datasandbox.guard.analyze;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;

/**
 * A lineage leaf for a value computed per privacy unit ({@code COUNT(*)} of an aggregate grouped by the
 * unit): data about one person, like a measure column, never a constant. It exists only in expanded
 * expressions that checks judge; no plan that runs contains it.
 */
public final class PerUnitValue extends SqlFunction {
    public static final PerUnitValue INSTANCE = new PerUnitValue();

    private PerUnitValue() {
        super("PER_UNIT_VALUE", SqlKind.OTHER_FUNCTION, ReturnTypes.ARG0, null, OperandTypes.ANY,
                SqlFunctionCategory.SYSTEM);
    }

    /** The leaf for field {@code field} of a per-unit aggregate (the index keeps different fields apart). */
    static RexNode of(RexBuilder rex, RelDataType type, int field) {
        return rex.makeCall(type, INSTANCE, java.util.List.of(rex.makeExactLiteral(java.math.BigDecimal.valueOf(field))));
    }

    public static boolean is(RexNode node) {
        return node instanceof RexCall call && call.getOperator() == INSTANCE;
    }
}
