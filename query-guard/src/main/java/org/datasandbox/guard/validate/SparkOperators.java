package org.datasandbox.guard.validate;

import java.util.List;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeTransforms;
import org.apache.calcite.sql.util.SqlOperatorTables;

/**
 * Spark functions that Calcite's Spark library lacks, declared with Spark's signatures so that queries
 * researchers write validate (and unparse under the same name): {@code concat}, {@code date_format(d,
 * fmt)}, {@code date_trunc(unit, d)}, {@code try_divide(a, b)}. Only their types matter to the guard.
 */
final class SparkOperators {
    static final SqlFunction DATE_FORMAT = new SqlFunction("DATE_FORMAT", SqlKind.OTHER_FUNCTION,
            ReturnTypes.VARCHAR_NULLABLE, null,
            OperandTypes.family(SqlTypeFamily.DATETIME, SqlTypeFamily.CHARACTER), SqlFunctionCategory.TIMEDATE);

    static final SqlFunction DATE_TRUNC = new SqlFunction("DATE_TRUNC", SqlKind.OTHER_FUNCTION,
            ReturnTypes.explicit(SqlTypeName.TIMESTAMP).andThen(SqlTypeTransforms.TO_NULLABLE), null,
            OperandTypes.family(SqlTypeFamily.CHARACTER, SqlTypeFamily.DATETIME), SqlFunctionCategory.TIMEDATE);

    /** Division that gives NULL for a zero divisor, in double precision like Spark's for integers. */
    static final SqlFunction TRY_DIVIDE = new SqlFunction("TRY_DIVIDE", SqlKind.OTHER_FUNCTION,
            ReturnTypes.DOUBLE.andThen(SqlTypeTransforms.FORCE_NULLABLE), null,
            OperandTypes.NUMERIC_NUMERIC, SqlFunctionCategory.NUMERIC);

    static final SqlOperatorTable TABLE = SqlOperatorTables.of(List.of(
            SqlLibraryOperators.CONCAT_FUNCTION, DATE_FORMAT, DATE_TRUNC, TRY_DIVIDE));

    private SparkOperators() {
    }
}
