package org.datasandbox.guard.explain;

import java.util.ArrayList;
import java.util.List;
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

    /**
     * Where the query groups by a field of this name: the first GROUP BY item, or select item of a SELECT
     * DISTINCT, that reads it (outer queries first); the first grouping of any select when none reads it.
     */
    public SqlPosition grouping(String name) {
        List<SqlSelect> selects = new ArrayList<>();
        try {
            query.accept(new Finder(node -> node instanceof SqlSelect select && !selects.add(select)));
        } catch (Found impossible) {
            // the predicate never matches: it only collects
        }
        SqlNode fallback = null;
        for (SqlSelect select : selects) {
            List<SqlNode> items = select.getGroup() != null && !select.getGroup().isEmpty() ? select.getGroup().getList()
                    : select.isDistinct() ? select.getSelectList().getList() : List.of();
            for (SqlNode item : items) {
                fallback = fallback == null ? item : fallback;
                if (item != null && reads(item, name)) {
                    return SparkSqlParser.position(item.getParserPosition());
                }
            }
        }
        return fallback == null ? kind(SqlKind.SELECT) : SparkSqlParser.position(fallback.getParserPosition());
    }

    private static boolean reads(SqlNode item, String name) {
        try {
            item.accept(new Finder(node -> node instanceof SqlIdentifier id
                    && id.names.get(id.names.size() - 1).equalsIgnoreCase(name)));
        } catch (Found found) {
            return true;
        }
        return false;
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
