package org.datasandbox.guard.dp;

import org.apache.calcite.sql.SqlAggFunction;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlBasicAggFunction;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;

/**
 * The Spark functions the DP rewrite needs that Calcite does not model: the array partials of quantiles and
 * the keyed hash that orders a unit's rows.
 * They appear only in rewritten plans, never in what a developer may write.
 */
final class DpSparkFunctions {
    /** {@code collect_list(x)}: the non-NULL values of a group, as an array. */
    static final SqlAggFunction COLLECT_LIST = SqlBasicAggFunction.create("COLLECT_LIST", SqlKind.OTHER_FUNCTION,
            ReturnTypes.TO_ARRAY, OperandTypes.ANY);

    /** {@code flatten(arrays)}: one array of the elements of an array of arrays. */
    static final SqlFunction FLATTEN = new SqlFunction("FLATTEN", SqlKind.OTHER_FUNCTION,
            binding -> binding.getOperandType(0).getComponentType(), null, OperandTypes.ARRAY,
            SqlFunctionCategory.SYSTEM);

    /**
     * {@code xxhash64(salt, ...)}: Spark's 64-bit hash of its arguments. With a secret salt first, it orders a
     * unit's rows (or groups) in a way the developer can neither predict nor steer, and that depends on the
     * unit's own rows only: removing another unit changes no choice.
     */
    static final SqlFunction XXHASH64 = new SqlFunction("XXHASH64", SqlKind.OTHER_FUNCTION,
            ReturnTypes.BIGINT, null, OperandTypes.ONE_OR_MORE, SqlFunctionCategory.SYSTEM);

    private DpSparkFunctions() {
    }
}
