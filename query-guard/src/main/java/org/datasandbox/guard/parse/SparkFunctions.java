package org.datasandbox.guard.parse;

import java.util.Locale;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlShuttle;

/**
 * Spark functions that have a standard equivalent are rewritten to it before validation, so that the
 * rest of the guard (and the unparser) only deals with standard SQL: {@code count_if(c)} becomes
 * {@code COUNT(*) FILTER (WHERE c)}.
 */
final class SparkFunctions extends SqlShuttle {
    private static final SparkFunctions INSTANCE = new SparkFunctions();

    static SqlNode normalize(SqlNode node) {
        return node.accept(INSTANCE);
    }

    /** Spark's {@code STRING} type is Calcite's {@code VARCHAR} (the Spark dialect writes it back as STRING). */
    @Override
    public SqlNode visit(org.apache.calcite.sql.SqlDataTypeSpec type) {
        if (type.getTypeNameSpec() instanceof org.apache.calcite.sql.SqlUserDefinedTypeNameSpec named
                && named.getTypeName().isSimple()
                && named.getTypeName().getSimple().equalsIgnoreCase("STRING")) {
            SqlParserPos pos = type.getParserPosition();
            return new org.apache.calcite.sql.SqlDataTypeSpec(new org.apache.calcite.sql.SqlBasicTypeNameSpec(
                    org.apache.calcite.sql.type.SqlTypeName.VARCHAR, pos), pos);
        }
        return type;
    }

    @Override
    public SqlNode visit(SqlCall call) {
        SqlCall visited = (SqlCall) super.visit(call);
        if (visited != null && visited.getOperator().getName().toUpperCase(Locale.ROOT).equals("COUNT_IF")
                && visited.operandCount() == 1) {
            SqlParserPos pos = visited.getParserPosition();
            SqlCall count = SqlStdOperatorTable.COUNT.createCall(pos, SqlIdentifier.star(pos));
            return SqlStdOperatorTable.FILTER.createCall(pos, count, visited.operand(0));
        }
        return visited;
    }
}
