package org.datasandbox.guard.dp;

import org.apache.calcite.sql.SqlAggFunction;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlWriter;
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

    /**
     * {@code spread(values, k)}: at most k of the values, evenly spread over them in sorted order (all of them
     * when there are at most k). Element j of k is the one at sorted position {@code floor((2j - 1) n / 2k)}:
     * which values stay depends on the values alone, not on their order in the input.
     */
    static final SqlFunction SPREAD = new SqlFunction("DP_SPREAD", SqlKind.OTHER_FUNCTION,
            ReturnTypes.ARG0, null, OperandTypes.ANY_ANY, SqlFunctionCategory.SYSTEM) {
        @Override
        public void unparse(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
            // IF(SIZE(a) = 0, a, TRANSFORM(SEQUENCE(1, m), j -> ELEMENT_AT(s, CAST((2j - 1) * n DIV 2m AS INT) + 1)))
            // with s = ARRAY_SORT(a), n = SIZE(a), m = LEAST(n, k); SEQUENCE(1, 0) would count down, hence the IF
            SqlNode values = call.operand(0);
            SqlNode k = call.operand(1);
            writer.print("IF(SIZE(");
            values.unparse(writer, 0, 0);
            writer.print(") = 0, ");
            values.unparse(writer, 0, 0);
            writer.print(", TRANSFORM(SEQUENCE(1, LEAST(SIZE(");
            values.unparse(writer, 0, 0);
            writer.print("), ");
            k.unparse(writer, 0, 0);
            writer.print(")), __dp_j -> ELEMENT_AT(ARRAY_SORT(");
            values.unparse(writer, 0, 0);
            writer.print("), CAST((2 * __dp_j - 1) * CAST(SIZE(");
            values.unparse(writer, 0, 0);
            writer.print(") AS BIGINT) DIV (2 * LEAST(SIZE(");
            values.unparse(writer, 0, 0);
            writer.print("), ");
            k.unparse(writer, 0, 0);
            writer.print(")) AS INT) + 1)))");
        }
    };

    private DpSparkFunctions() {
    }
}
