package org.datasandbox.guard.parse;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Spark's typed numeric literals ({@code 1.0D}, {@code 2L}, {@code 3S}, {@code 4Y}, {@code 1.5F},
 * {@code 1.5BD}) written as the casts they mean, before Calcite parses the text. Strings, quoted
 * identifiers and comments are left as they are.
 */
final class SparkLiterals {
    private static final Pattern TYPED = Pattern.compile(
            "(?<![\\w.])((?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?)(BD|bd|[DdFfLlSsYy])(?![\\w])");

    private SparkLiterals() {
    }

    static String rewrite(String sql) {
        if (!TYPED.matcher(sql).find()) {
            return sql;
        }
        StringBuilder out = new StringBuilder(sql.length() + 32);
        int i = 0;
        int plainStart = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            int end = -1;
            if (c == '\'' || c == '"' || c == '`') {
                end = closing(sql, i, c);
            } else if (c == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-') {
                int newline = sql.indexOf('\n', i);
                end = newline < 0 ? sql.length() : newline;
            } else if (c == '/' && i + 1 < sql.length() && sql.charAt(i + 1) == '*') {
                int close = sql.indexOf("*/", i + 2);
                end = close < 0 ? sql.length() : close + 2;
            }
            if (end >= 0) {
                out.append(typed(sql.substring(plainStart, i))).append(sql, i, end);
                i = end;
                plainStart = end;
            } else {
                i++;
            }
        }
        out.append(typed(sql.substring(plainStart)));
        return out.toString();
    }

    /** The index after the quote that closes the one at start (backslash escapes), or the end. */
    private static int closing(String sql, int start, char quote) {
        for (int i = start + 1; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '\\' && quote != '`') {
                i++;
            } else if (c == quote) {
                return i + 1;
            }
        }
        return sql.length();
    }

    private static String typed(String plain) {
        Matcher m = TYPED.matcher(plain);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String number = m.group(1);
            String type = switch (m.group(2).toUpperCase(Locale.ROOT)) {
                case "D" -> "DOUBLE";
                case "F" -> "FLOAT";
                case "L" -> "BIGINT";
                case "S" -> "SMALLINT";
                case "Y" -> "TINYINT";
                default -> null; // BD: an exact decimal, as Calcite reads the plain number
            };
            m.appendReplacement(out, Matcher.quoteReplacement(type == null ? number : "CAST(" + number + " AS " + type + ")"));
        }
        m.appendTail(out);
        return out.toString();
    }
}
