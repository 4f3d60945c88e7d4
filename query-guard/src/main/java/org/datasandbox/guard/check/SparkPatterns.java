package org.datasandbox.guard.check;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.calcite.sql.SqlKind;

/**
 * Spark's validation of literal patterns, so that a pattern Spark would throw on is refused before any job
 * runs: {@code LIKE}/{@code ILIKE} patterns by the rules of Spark's {@code StringUtils.escapeLikeRegex} (the
 * escape character, a backslash unless {@code ESCAPE} names another single character, may only precede
 * {@code _}, {@code %} or itself, and may not end the pattern), {@code RLIKE}/{@code SIMILAR TO} patterns by
 * {@link Pattern#compile}, which Spark uses.
 */
final class SparkPatterns {
    private SparkPatterns() {
    }

    /** Why Spark would reject these literal pattern operands (pattern, then escape if any), or null. */
    static String problem(String operator, SqlKind kind, List<String> operands) {
        if (operands.isEmpty() || operands.stream().anyMatch(java.util.Objects::isNull)) {
            return operands.isEmpty() ? null : "a NULL LIKE pattern or escape";
        }
        String pattern = operands.get(0);
        if (kind == SqlKind.SIMILAR || operator.contains("RLIKE") || operator.contains("REGEXP")) {
            try {
                Pattern.compile(pattern);
                return null;
            } catch (PatternSyntaxException e) {
                return "an invalid regular expression (Spark would fail on it)";
            }
        }
        char escape = '\\';
        if (operands.size() > 1) {
            if (operands.get(1).length() != 1) {
                return "a LIKE escape that is not exactly one character";
            }
            escape = operands.get(1).charAt(0);
        }
        return likeProblem(pattern, escape);
    }

    static String likeProblem(String pattern, char escape) {
        for (int i = 0; i < pattern.length(); i++) {
            if (pattern.charAt(i) != escape) {
                continue;
            }
            if (i + 1 == pattern.length()) {
                return "a LIKE pattern that ends with its escape character (Spark would fail on it)";
            }
            char next = pattern.charAt(++i);
            if (next != '_' && next != '%' && next != escape) {
                return "a LIKE pattern whose escape character precedes another character (Spark would fail on it)";
            }
        }
        return null;
    }
}
