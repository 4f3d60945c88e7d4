package org.datasandbox.guard.unparse;

import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.rel2sql.RelToSqlConverter;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.dialect.SparkSqlDialect;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Unparses a plan to Spark SQL with Calcite's Spark dialect (backtick identifiers, LIMIT). */
public final class SparkSqlUnparser {
    private static final SqlDialect DIALECT = new SparkDialect();

    private SparkSqlUnparser() {
    }

    public static String unparse(RelNode plan) {
        return new RelToSqlConverter(DIALECT).visitRoot(plan).asStatement().toSqlString(DIALECT).getSql();
    }

    /**
     * Spark string literals carry no charset prefix ({@code _UTF-8'...'} is a syntax error there) and
     * escape with backslashes: two adjacent quotes would be two literals, concatenated.
     */
    private static final class SparkDialect extends SparkSqlDialect {
        private static final java.util.Set<SqlKind> POSTFIX = java.util.EnumSet.of(SqlKind.IS_TRUE, SqlKind.IS_NOT_TRUE,
                SqlKind.IS_FALSE, SqlKind.IS_NOT_FALSE, SqlKind.IS_NULL, SqlKind.IS_NOT_NULL);

        SparkDialect() {
            super(SparkSqlDialect.DEFAULT_CONTEXT);
        }

        /**
         * Postfix predicates get their operand in parentheses: Spark binds {@code IS TRUE} tighter than
         * {@code LIKE} and comparisons, so {@code x LIKE 'a%' IS TRUE} would be {@code x LIKE ('a%' IS TRUE)}.
         */
        @Override
        public void unparseCall(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
            if (POSTFIX.contains(call.getKind())) {
                SqlWriter.Frame frame = writer.startList("(", ")");
                call.operand(0).unparse(writer, 0, 0);
                writer.endList(frame);
                writer.keyword(call.getOperator().getName());
                return;
            }
            super.unparseCall(writer, call, leftPrec, rightPrec);
        }

        @Override
        public void quoteStringLiteral(StringBuilder buf, @Nullable String charsetName, String val) {
            buf.append('\'');
            for (int i = 0; i < val.length(); i++) {
                char c = val.charAt(i);
                switch (c) {
                    case '\\' -> buf.append("\\\\");
                    case '\'' -> buf.append("\\'");
                    case '\n' -> buf.append("\\n");
                    case '\r' -> buf.append("\\r");
                    case '\t' -> buf.append("\\t");
                    default -> buf.append(c);
                }
            }
            buf.append('\'');
        }
    }
}
