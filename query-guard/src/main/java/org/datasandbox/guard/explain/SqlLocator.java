package org.datasandbox.guard.explain;

import java.util.function.Predicate;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.datasandbox.guard.parse.SparkSqlParser;

/**
 * Finds where in the submitted SQL a plan-level finding comes from. Plans carry no positions, so the
 * guard looks the offending select item, column or function up in the validated parse tree.
 */
public final class SqlLocator {
    private final SqlNode query;

    public SqlLocator(SqlNode validated) {
        this.query = validated;
    }

    /** The position of the i-th item of the outermost select list. */
    public SqlPosition selectItem(int index) {
        SqlSelect select = outermostSelect(query);
        if (select == null || index >= select.getSelectList().size()) {
            return SqlPosition.UNKNOWN;
        }
        return SparkSqlParser.position(select.getSelectList().get(index).getParserPosition());
    }

    /** The first reference to a column of this name. */
    public SqlPosition column(String name) {
        return first(node -> node instanceof SqlIdentifier id
                && id.names.get(id.names.size() - 1).equalsIgnoreCase(name));
    }

    /** The first call of an operator of this name (a function or aggregate), as written. */
    public SqlPosition call(String operatorName) {
        return first(node -> node instanceof SqlCall call
                && call.getOperator().getName().equalsIgnoreCase(operatorName));
    }

    /** The first call of this kind, e.g. {@link SqlKind#JOIN}. */
    public SqlPosition kind(SqlKind kind) {
        return first(node -> node.getKind() == kind);
    }

    private SqlPosition first(Predicate<SqlNode> predicate) {
        Finder finder = new Finder(predicate);
        try {
            query.accept(finder);
        } catch (Found found) {
            return SparkSqlParser.position(found.node.getParserPosition());
        }
        return SqlPosition.UNKNOWN;
    }

    private static SqlSelect outermostSelect(SqlNode node) {
        if (node instanceof SqlSelect select) {
            return select;
        }
        if (node instanceof SqlOrderBy orderBy) {
            return outermostSelect(orderBy.query);
        }
        if (node instanceof SqlBasicCall call && call.getKind().belongsTo(SqlKind.SET_QUERY)) {
            return outermostSelect(call.operand(0));
        }
        return null;
    }

    /** Stops the walk at the first match; positions are in text order because the walk is pre-order. */
    private static final class Found extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient SqlNode node;

        Found(SqlNode node) {
            super(null, null, false, false);
            this.node = node;
        }
    }

    private static final class Finder extends SqlBasicVisitor<Void> {
        private final Predicate<SqlNode> predicate;

        Finder(Predicate<SqlNode> predicate) {
            this.predicate = predicate;
        }

        @Override
        public Void visit(SqlIdentifier id) {
            test(id);
            return null;
        }

        @Override
        public Void visit(SqlCall call) {
            test(call);
            return super.visit(call);
        }

        @Override
        public Void visit(SqlNodeList list) {
            for (SqlNode node : list) {
                if (node != null) {
                    node.accept(this);
                }
            }
            return null;
        }

        private void test(SqlNode node) {
            if (predicate.test(node)) {
                throw new Found(node);
            }
        }
    }
}
