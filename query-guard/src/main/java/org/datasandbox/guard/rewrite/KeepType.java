package org.datasandbox.guard.rewrite;

import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.type.ReturnTypes;

/**
 * Gives an expression the type Calcite expects in the plan while Spark receives the expression unchanged.
 * The rewrite wraps suppressed values in it: a CAST to Calcite's type of an aggregate would change the
 * value Spark computes (Calcite types {@code AVG} of a {@code DECIMAL(2,1)} as {@code DECIMAL(2,1)}, Spark
 * widens it), and the rewrite must never change a released value or its type.
 */
final class KeepType extends SqlSpecialOperator {
    static final KeepType INSTANCE = new KeepType();

    private KeepType() {
        super("KEEP_TYPE", SqlKind.OTHER_FUNCTION, 0, false, ReturnTypes.explicit(
                org.apache.calcite.sql.type.SqlTypeName.ANY), null, null);
    }

    @Override
    public void unparse(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
        call.operand(0).unparse(writer, leftPrec, rightPrec);
    }
}
