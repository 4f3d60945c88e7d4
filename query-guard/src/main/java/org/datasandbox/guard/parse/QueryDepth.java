package org.datasandbox.guard.parse;

import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.datasandbox.guard.GuardException;
import org.datasandbox.guard.explain.RuleId;
import org.datasandbox.guard.explain.SqlPosition;

/**
 * Bounds how deeply a query nests, before and after parsing, without recursion of its own: the parser,
 * the validator, the planner, the unparser and Spark's parser all recurse once or more per level, so a
 * query nested thousands deep would end in a StackOverflowError somewhere. Refused instead as
 * {@link RuleId#QUERY_TOO_LARGE}. The bounds are far above what an analyst writes (a hand-written query
 * seldom nests ten parentheses deep; a chain of 200 ORs is better written with IN) and below what the
 * guard survives on the server's 1 MiB thread stacks (on a 512 KiB stack a 200-term chain sometimes
 * fails, depending on what the JIT has compiled; the guard then refuses it, closed, as unanalysable).
 */
public final class QueryDepth {
    /** Most parentheses open at once, counted in the text before Calcite sees it. */
    public static final int MAX_PARENTHESES = 64;
    /** Most levels of the parsed tree: a chain {@code a OR b OR ...} of n terms is n levels deep. */
    public static final int MAX_TREE_DEPTH = 200;

    private QueryDepth() {
    }

    /**
     * Refuses text nested too deeply in parentheses; parentheses inside string literals, quoted identifiers
     * and comments do not count.
     */
    public static void checkText(String sql) {
        int depth = 0;
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                i = skipQuoted(sql, i, c);
                continue;
            }
            if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
                continue;
            }
            if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                continue;
            }
            if (c == '(' && ++depth > MAX_PARENTHESES) {
                throw tooDeep("more than " + MAX_PARENTHESES + " parentheses are open at once");
            } else if (c == ')') {
                depth = Math.max(0, depth - 1);
            }
            i++;
        }
    }

    /** Refuses a parsed query whose tree is deeper than {@link #MAX_TREE_DEPTH}. */
    public static void checkTree(SqlNode root) {
        Deque<SqlNode> nodes = new ArrayDeque<>();
        Deque<Integer> depths = new ArrayDeque<>();
        nodes.push(root);
        depths.push(1);
        while (!nodes.isEmpty()) {
            SqlNode node = nodes.pop();
            int depth = depths.pop();
            if (depth > MAX_TREE_DEPTH) {
                throw tooDeep("its expressions nest more than " + MAX_TREE_DEPTH + " levels deep");
            }
            Iterable<SqlNode> children = node instanceof SqlNodeList list ? list.getList()
                    : node instanceof SqlCall call ? call.getOperandList() : java.util.List.of();
            for (SqlNode child : children) {
                if (child != null) {
                    nodes.push(child);
                    depths.push(depth + 1);
                }
            }
        }
    }

    static GuardException tooDeep(String why) {
        return new GuardException(RuleId.QUERY_TOO_LARGE, "the query is nested too deeply: " + why, SqlPosition.UNKNOWN);
    }

    /** The index after a quoted run; a backslash escapes the next character, as Spark reads literals. */
    private static int skipQuoted(String sql, int start, char quote) {
        int i = start + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == quote) {
                return i + 1;
            }
            i++;
        }
        return i;
    }
}
