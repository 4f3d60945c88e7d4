package org.datasandbox.guard.unparse;

import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.rel2sql.RelToSqlConverter;
import org.apache.calcite.sql.SqlDialect;
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
        SparkDialect() {
            super(SparkSqlDialect.DEFAULT_CONTEXT);
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
