package org.datasandbox.guard.check;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;

/**
 * The row-level functions and operators a query may use: deterministic arithmetic, comparison, logic,
 * conditional, string and date functions. None may fail or blow up depending on a value (no padding to a
 * computed length, for instance), since whether a job fails must not depend on the data. Anything not listed here is refused with its name; there is
 * no deny-list to slip past.
 */
final class FunctionAllowList {
    private static final Set<SqlKind> KINDS = EnumSet.of(
            SqlKind.PLUS, SqlKind.MINUS, SqlKind.TIMES, SqlKind.DIVIDE, SqlKind.MOD,
            SqlKind.MINUS_PREFIX, SqlKind.PLUS_PREFIX,
            SqlKind.CHECKED_PLUS, SqlKind.CHECKED_MINUS, SqlKind.CHECKED_TIMES, SqlKind.CHECKED_DIVIDE,
            SqlKind.CHECKED_MINUS_PREFIX,
            SqlKind.EQUALS, SqlKind.NOT_EQUALS, SqlKind.LESS_THAN, SqlKind.LESS_THAN_OR_EQUAL,
            SqlKind.GREATER_THAN, SqlKind.GREATER_THAN_OR_EQUAL, SqlKind.IS_DISTINCT_FROM,
            SqlKind.IS_NOT_DISTINCT_FROM, SqlKind.SEARCH, SqlKind.IN, SqlKind.NOT_IN, SqlKind.BETWEEN,
            SqlKind.AND, SqlKind.OR, SqlKind.NOT,
            SqlKind.IS_NULL, SqlKind.IS_NOT_NULL, SqlKind.IS_TRUE, SqlKind.IS_NOT_TRUE,
            SqlKind.IS_FALSE, SqlKind.IS_NOT_FALSE,
            SqlKind.CASE, SqlKind.CAST, SqlKind.COALESCE, SqlKind.NULLIF, SqlKind.NVL, SqlKind.IF,
            SqlKind.GREATEST, SqlKind.LEAST,
            SqlKind.LIKE, SqlKind.FLOOR, SqlKind.CEIL, SqlKind.EXTRACT, SqlKind.TRIM, SqlKind.LTRIM,
            SqlKind.RTRIM, SqlKind.POSITION);

    private static final Set<String> NAMES = Set.of(
            "ROUND", "ABS", "SIGN", "POWER", "SQRT", "EXP", "LN", "LOG10", "TRUNCATE", "MOD",
            "UPPER", "LOWER", "INITCAP", "SUBSTRING", "SUBSTR", "CHAR_LENGTH", "CHARACTER_LENGTH", "LENGTH",
            "CONCAT", "||", "REPLACE",
            "YEAR", "QUARTER", "MONTH", "DAYOFMONTH", "DAYOFWEEK", "DAYOFYEAR", "WEEK",
            "DATE_TRUNC", "DATE_FORMAT", "TO_DATE", "CURRENT_DATE", "TRY_DIVIDE");

    private FunctionAllowList() {
    }

    static boolean allows(SqlOperator operator) {
        return KINDS.contains(operator.getKind()) || NAMES.contains(operator.getName().toUpperCase(Locale.ROOT));
    }
}
