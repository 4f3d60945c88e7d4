package org.datasandbox.guard.validate;

import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.util.SqlShuttle;

/**
 * Calcite's converter turns every {@code x IN (a, b)} into a sub-query that it registers for the clauses it
 * converts (select list, WHERE, HAVING, ...), but an aggregate nested in a window over the groups
 * ({@code SUM(COUNT_IF(x IN ('a', 'b'))) OVER ()}, {@code SUM(COUNT(*) FILTER (WHERE x IN ...)) OVER ()}) is converted
 * again where none is registered, and the converter fails inside ({@code NullPointerException: subQuery}, the
 * "NULL sub-query" of the DP grammar oracle): the guard refused the query as one it could not analyze. Inside
 * aggregate calls and their {@code FILTER}, this pass writes a value list as the disjunction it means,
 * {@code (x = a OR x = b)} ({@code NOT IN}: {@code NOT (x = a OR x = b)}), which has the same value, NULL included,
 * so that the guard judges the query instead.
 */
public final class InListsInAggregates {
    private InListsInAggregates() {
    }

    /** Rewrites, in place, the IN value lists of every aggregate call and FILTER clause of a parsed tree. */
    static SqlNode expand(SqlNode node) {
        walk(node, false);
        return node;
    }

    private static void walk(SqlNode node, boolean inAggregate) {
        if (node instanceof SqlNodeList list) {
            for (int i = 0; i < list.size(); i++) {
                SqlNode item = list.get(i);
                if (inAggregate && isValueList(item)) {
                    list.set(i, disjunction((SqlCall) item));
                }
                walk(list.get(i), inAggregate);
            }
            return;
        }
        if (!(node instanceof SqlCall call)) {
            return;
        }
        // a sub-query inside an aggregate is a query of its own, converted with its own clauses
        boolean aggregate = !(call instanceof SqlSelect)
                && (inAggregate || call.getOperator().isAggregator() || call.getKind() == SqlKind.FILTER);
        List<SqlNode> operands = call.getOperandList();
        for (int i = 0; i < operands.size(); i++) {
            SqlNode operand = operands.get(i);
            if (aggregate && isValueList(operand)) {
                call.setOperand(i, disjunction((SqlCall) operand));
            }
            walk(call.getOperandList().get(i), aggregate);
        }
    }

    /** A deep copy: the validator expands identifiers in place, so no node may appear twice in the tree. */
    private static SqlNode copy(SqlNode node) {
        return node.accept(new SqlShuttle() {
            @Override
            public SqlNode visit(SqlIdentifier id) {
                return id.clone(id.getParserPosition());
            }

            @Override
            public SqlNode visit(SqlCall call) {
                List<SqlNode> operands = new java.util.ArrayList<>();
                for (SqlNode operand : call.getOperandList()) {
                    operands.add(operand == null ? null : operand.accept(this));
                }
                return call.getOperator().createCall(call.getFunctionQuantifier(), call.getParserPosition(),
                        operands.toArray(new SqlNode[0]));
            }
        });
    }

    private static boolean isValueList(SqlNode node) {
        return node instanceof SqlCall call && (call.getKind() == SqlKind.IN || call.getKind() == SqlKind.NOT_IN)
                && call.operandCount() == 2 && call.operand(1) instanceof SqlNodeList values && !values.isEmpty()
                && !(call.operand(0) instanceof SqlNodeList);
    }

    private static SqlNode disjunction(SqlCall in) {
        SqlNode value = in.operand(0);
        SqlNode or = null;
        for (SqlNode item : (SqlNodeList) in.operand(1)) {
            SqlNode equal = SqlStdOperatorTable.EQUALS.createCall(item.getParserPosition(), copy(value), item);
            or = or == null ? equal : SqlStdOperatorTable.OR.createCall(in.getParserPosition(), or, equal);
        }
        return in.getKind() == SqlKind.NOT_IN ? SqlStdOperatorTable.NOT.createCall(in.getParserPosition(), or) : or;
    }
}
