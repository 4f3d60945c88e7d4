package org.datasandbox.guard.validate;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.sql.JoinConditionType;
import org.apache.calcite.sql.JoinType;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.datasandbox.guard.GuardException;
import org.datasandbox.guard.explain.RuleId;
import org.datasandbox.guard.parse.SparkSqlParser;

/**
 * Spark's {@code A LEFT SEMI JOIN B ON c} and {@code A LEFT ANTI JOIN B ON c} parse and validate, but Calcite's
 * converter has no relational form for them and fails inside. They mean exactly {@code A WHERE [NOT] EXISTS
 * (SELECT 1 FROM B WHERE c)}: the rows of A, each kept or dropped whole, B's columns invisible after the join.
 * This pass writes them so, on the validated tree (its identifiers qualified, so that an A column in {@code c}
 * still means A's inside the sub-query), and the guard then judges the EXISTS like any other.
 *
 * <p>Moving the condition from the join to the enclosing {@code WHERE} keeps the meaning only while nothing
 * between the join and the {@code WHERE} can bring back a row of A it dropped: the join may sit on the left of
 * inner, left, cross or comma joins, or on the right of inner, cross and comma joins. Anywhere else (under the
 * preserved side of a right or full join, the optional side of a left join) it is refused with a clear message.
 */
public final class SparkSemiJoinSyntax {
    private SparkSemiJoinSyntax() {
    }

    /** Whether a tree has a semi- or anti-join in some FROM. */
    static boolean present(SqlNode node) {
        boolean[] found = {false};
        node.accept(new SqlBasicVisitor<Void>() {
            @Override
            public Void visit(SqlCall call) {
                if (call instanceof SqlJoin join && semiOrAnti(join.getJoinType())) {
                    found[0] = true;
                }
                return super.visit(call);
            }
        });
        return found[0];
    }

    /** Rewrites, in place, every semi- or anti-join of the tree into a {@code [NOT] EXISTS} of its SELECT's WHERE. */
    static SqlNode toExists(SqlNode node) {
        List<SqlSelect> selects = new ArrayList<>();
        node.accept(new SqlBasicVisitor<Void>() {
            @Override
            public Void visit(SqlCall call) {
                if (call instanceof SqlSelect select) {
                    selects.add(select);
                }
                return super.visit(call);
            }
        });
        selects.forEach(SparkSemiJoinSyntax::rewrite);
        return node;
    }

    private static void rewrite(SqlSelect select) {
        if (select.getFrom() == null) {
            return;
        }
        List<SqlNode> conditions = new ArrayList<>();
        select.setFrom(strip(select.getFrom(), conditions, true));
        SqlNode where = select.getWhere();
        for (SqlNode condition : conditions) {
            where = where == null ? condition
                    : SqlStdOperatorTable.AND.createCall(condition.getParserPosition(), where, condition);
        }
        select.setWhere(where);
    }

    /**
     * The FROM tree without its semi- and anti-joins, their conditions added to {@code conditions}.
     * {@code filterable}: a filter in the enclosing WHERE on this subtree's rows means the same as one here.
     */
    private static SqlNode strip(SqlNode from, List<SqlNode> conditions, boolean filterable) {
        if (!(from instanceof SqlJoin join)) {
            return from;
        }
        JoinType type = join.getJoinType();
        if (semiOrAnti(type)) {
            SqlParserPos pos = join.getParserPosition();
            if (!filterable) {
                throw new GuardException(RuleId.UNSUPPORTED_CONSTRUCT, "a LEFT SEMI or LEFT ANTI JOIN is supported on"
                        + " the left of inner, left and cross joins only; write it as [NOT] EXISTS in a derived table",
                        SparkSqlParser.position(pos));
            }
            if (join.isNatural() || join.getConditionType() != JoinConditionType.ON || join.getCondition() == null) {
                throw new GuardException(RuleId.UNSUPPORTED_CONSTRUCT, "a LEFT SEMI or LEFT ANTI JOIN needs an ON"
                        + " condition (not USING or NATURAL)", SparkSqlParser.position(pos));
            }
            SqlSelect inner = new SqlSelect(pos, null, SqlNodeList.of(SqlLiteral.createExactNumeric("1", pos)),
                    join.getRight(), join.getCondition(), null, null, null, null, null, null, null, null);
            rewrite(inner); // the right side may hold semi-joins of its own
            SqlNode exists = SqlStdOperatorTable.EXISTS.createCall(pos, inner);
            conditions.add(type == JoinType.LEFT_SEMI_JOIN ? exists : SqlStdOperatorTable.NOT.createCall(pos, exists));
            return strip(join.getLeft(), conditions, filterable);
        }
        boolean leftKeeps = type == JoinType.INNER || type == JoinType.LEFT || type == JoinType.CROSS
                || type == JoinType.COMMA;
        boolean rightKeeps = type == JoinType.INNER || type == JoinType.CROSS || type == JoinType.COMMA;
        join.setLeft(strip(join.getLeft(), conditions, filterable && leftKeeps));
        join.setRight(strip(join.getRight(), conditions, filterable && rightKeeps));
        return join;
    }

    private static boolean semiOrAnti(JoinType type) {
        return type == JoinType.LEFT_SEMI_JOIN || type == JoinType.LEFT_ANTI_JOIN;
    }
}
