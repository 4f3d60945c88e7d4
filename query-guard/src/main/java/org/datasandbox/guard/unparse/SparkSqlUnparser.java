package org.datasandbox.guard.unparse;

import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.core.Union;
import org.apache.calcite.rel.core.Values;
import org.apache.calcite.rel.rel2sql.RelToSqlConverter;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.SqlWriterConfig;
import org.apache.calcite.sql.pretty.SqlPrettyWriter;
import org.apache.calcite.sql.dialect.SparkSqlDialect;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Unparses a plan to Spark SQL with Calcite's Spark dialect (backtick identifiers, LIMIT). */
public final class SparkSqlUnparser {
    private static final SqlDialect DIALECT = new SparkDialect();

    /** What {@code SqlNode.toSqlString(DIALECT)} builds at every call, built once. */
    private static final SqlWriterConfig WRITER = SqlPrettyWriter.config().withDialect(DIALECT)
            .withAlwaysUseParentheses(false).withSelectListItemsOnSeparateLines(false)
            .withUpdateSetListNewline(false).withIndentation(0);

    private SparkSqlUnparser() {
    }

    public static String unparse(RelNode plan) {
        SqlPrettyWriter writer = new SqlPrettyWriter(WRITER);
        new Converter().visitRoot(SparkDateArithmetic.rewrite(plan)).asStatement().unparse(writer, 0, 0);
        return writer.toSqlString().getSql();
    }

    /**
     * Calcite's converter with a direct dispatch for the common nodes. The base class finds the visit
     * method by reflection, anew for every converter (one per query), which cost a tenth of unparsing.
     * Each branch calls the overload that reflection picks, the one for the node's nearest superclass
     * (no overload names a subclass of these); every other node goes the reflective way.
     */
    private static final class Converter extends RelToSqlConverter {
        Converter() {
            super(DIALECT);
        }

        @Override
        protected Result dispatch(RelNode e) {
            if (e instanceof Project project) {
                return visit(project);
            } else if (e instanceof Aggregate aggregate) {
                return visit(aggregate);
            } else if (e instanceof TableScan scan) {
                return visit(scan);
            } else if (e instanceof Filter filter) {
                return visit(filter);
            } else if (e instanceof Join join) {
                return visit(join);
            } else if (e instanceof Sort sort) {
                return visit(sort);
            } else if (e instanceof Union union) {
                return visit(union);
            } else if (e instanceof Values values) {
                return visit(values);
            }
            return super.dispatch(e);
        }
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
