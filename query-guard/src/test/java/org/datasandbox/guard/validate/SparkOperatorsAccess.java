package org.datasandbox.guard.validate;

import org.apache.calcite.sql.SqlOperatorTable;

/** The guard's own Spark operators, for the phase timer in another package. */
public final class SparkOperatorsAccess {
    private SparkOperatorsAccess() {
    }

    public static SqlOperatorTable table() {
        return SparkOperators.TABLE;
    }
}
