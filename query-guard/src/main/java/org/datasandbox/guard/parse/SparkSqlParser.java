package org.datasandbox.guard.parse;

import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.config.CharLiteralStyle;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.parser.babel.SqlBabelParserImpl;
import org.apache.calcite.sql.parser.impl.SqlParserImpl;
import org.datasandbox.guard.GuardException;
import org.datasandbox.guard.explain.RuleId;
import org.datasandbox.guard.explain.SqlPosition;

/** Parses one SELECT statement written in Spark SQL. Anything else is refused, never passed through. */
public final class SparkSqlParser {
    /** Longer SQL is refused before parsing: no analyst query needs it, and parsing cost grows with it. */
    public static final int MAX_SQL_CHARS = 64 * 1024;

    private static final SqlParser.Config CONFIG = SqlParser.config()
            .withParserFactory(SqlBabelParserImpl.FACTORY)
            .withConformance(SparkConformance.INSTANCE)
            // Spark reads both 'x' and "x" as strings, with backslash escapes.
            .withCharLiteralStyles(java.util.Set.of(CharLiteralStyle.BQ_SINGLE, CharLiteralStyle.BQ_DOUBLE))
            .withQuoting(Quoting.BACK_TICK_BACKSLASH)
            .withUnquotedCasing(Casing.UNCHANGED)
            .withQuotedCasing(Casing.UNCHANGED)
            .withCaseSensitive(false)
            .withIdentifierMaxLength(128);

    /**
     * Calcite's core parser, tried first: generated from the same grammar as Babel's without Babel's
     * additions, it reads the queries analysts mostly write in half the time (Babel's extra keywords and
     * syntax cost lookahead at every token). A query it cannot read goes to Babel as before, so Babel's
     * verdict and error message stand; where both read a query they give the same tree
     * ({@code CoreParserAgreementTest} over every corpus query). Soundness does not rest on that: the
     * guard checks the plan of the tree it parsed and releases that plan's unparse, never the text.
     */
    private static final SqlParser.Config CORE = CONFIG.withParserFactory(SqlParserImpl.FACTORY);

    /** A parse error at a word: often a column named like a keyword of Calcite's (time, year, value). */
    private static final java.util.regex.Pattern KEYWORD = java.util.regex.Pattern.compile("Encountered \"([A-Za-z_]+)[\" ,)]");

    private SparkSqlParser() {
    }

    public static SqlParser.Config config() {
        return CONFIG;
    }

    /**
     * Parses a query.
     *
     * @throws GuardException with {@link RuleId#SYNTAX_ERROR} and the position of the error, or
     *     {@link RuleId#UNSUPPORTED_STATEMENT} for anything but a query
     */
    public static SqlNode parseQuery(String sql) {
        if (sql == null || sql.isBlank()) {
            throw new GuardException(RuleId.SYNTAX_ERROR, "the query is empty", SqlPosition.UNKNOWN);
        }
        if (sql.length() > MAX_SQL_CHARS) {
            throw new GuardException(RuleId.QUERY_TOO_LARGE,
                    "the query has " + sql.length() + " characters, at most " + MAX_SQL_CHARS + " are allowed",
                    SqlPosition.UNKNOWN);
        }
        QueryDepth.checkText(sql);
        SqlNode node;
        try {
            node = parse(SparkLiterals.rewrite(stripTrailingSemicolon(sql)));
        } catch (SqlParseException e) {
            if (causedByStackOverflow(e)) { // a chain of prefix operators, say: deep without parentheses
                throw QueryDepth.tooDeep("the parser ran out of stack");
            }
            org.datasandbox.guard.explain.Violation violation = org.datasandbox.guard.explain.Violation.of(
                    RuleId.SYNTAX_ERROR, firstLine(e.getMessage()), position(e.getPos()));
            java.util.regex.Matcher word = KEYWORD.matcher(e.getMessage() == null ? "" : e.getMessage());
            throw new GuardException(word.find() ? violation.withSuggestion("if " + word.group(1)
                    + " is a column or table name, quote it with backticks: `" + word.group(1) + "`") : violation);
        } catch (StackOverflowError e) {
            throw QueryDepth.tooDeep("the parser ran out of stack");
        }
        QueryDepth.checkTree(node);
        if (!node.getKind().belongsTo(SqlKind.QUERY) && node.getKind() != SqlKind.ORDER_BY) {
            throw new GuardException(RuleId.UNSUPPORTED_STATEMENT,
                    node.getKind().lowerName.replace('_', ' ') + " statements are refused",
                    position(node.getParserPosition()));
        }
        return SparkFunctions.normalize(node);
    }

    /** The core parser's tree when it reads the text, else Babel's (or Babel's error). */
    private static SqlNode parse(String text) throws SqlParseException {
        if (!hasBabelOnlyWord(text)) {
            try {
                return SqlParser.create(text, CORE).parseStmt();
            } catch (SqlParseException e) {
                // Babel decides below
            }
        }
        return SqlParser.create(text, CONFIG).parseStmt();
    }

    /**
     * Words that only Babel reads as names (the core grammar reserves them: {@code year}, {@code time},
     * {@code value}, ...), and the words of Babel's own joins. A query with one goes straight to Babel: a
     * failed core parse costs more than Babel's parse itself (Calcite lists every token it expected), and
     * a column named {@code year} is common. A word inside a string literal only sends the query to Babel.
     */
    private static final java.util.Set<String> BABEL_ONLY_WORDS;

    /**
     * Words Babel no longer reserves but that analyst queries write as syntax, where the core parser reads
     * them too: not a reason to skip it. (A word missing here only sends its queries to Babel, as before.)
     */
    private static final java.util.Set<String> SYNTAX = java.util.Set.of("ALL", "AND", "AS", "BETWEEN", "CAST",
            "CEIL", "CEILING", "COALESCE", "COUNT", "AVG", "SUM", "MIN", "MAX", "ELSE", "END", "ESCAPE", "EXISTS",
            "FILTER", "FLOOR", "FOR", "IS", "LIKE", "NOT", "NULLIF", "OR", "TO", "TRUE", "FALSE", "UNKNOWN", "ABS",
            "LOWER", "UPPER", "TRIM", "SUBSTRING", "POWER", "SQRT", "MOD", "LN", "EXP", "STDDEV_POP", "STDDEV_SAMP",
            "VAR_POP", "VAR_SAMP", "INT", "INTEGER", "BIGINT", "DOUBLE", "DECIMAL", "FLOAT", "REAL", "CHAR",
            "VARCHAR", "BOOLEAN", "SMALLINT", "TINYINT", "NUMERIC", "CURRENT_DATE", "CURRENT_TIMESTAMP", "WITHIN",
            "ROW_NUMBER", "DENSE_RANK", "RANK", "PERCENTILE_CONT", "PERCENTILE_DISC", "CUBE", "EXTRACT", "OVER");

    static {
        BABEL_ONLY_WORDS = babelOnlyWords();
    }

    private static java.util.Set<String> babelOnlyWords() {
        var core = SqlParserImpl.FACTORY.getParser(new java.io.StringReader("")).getMetadata();
        var babel = SqlBabelParserImpl.FACTORY.getParser(new java.io.StringReader("")).getMetadata();
        java.util.Set<String> words = new java.util.HashSet<>(java.util.List.of("SEMI", "ANTI"));
        for (String token : core.getTokens()) {
            if (core.isReservedWord(token) && !babel.isReservedWord(token) && !SYNTAX.contains(token)) {
                words.add(token);
            }
        }
        return java.util.Set.copyOf(words);
    }

    /** Whether a word of the text (letters, digits, underscores), in upper case, is one of {@link #BABEL_ONLY_WORDS}. */
    static boolean hasBabelOnlyWord(String text) {
        int start = -1;
        for (int i = 0; i <= text.length(); i++) {
            boolean part = i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_');
            if (part && start < 0) {
                start = i;
            } else if (!part && start >= 0) {
                if (BABEL_ONLY_WORDS.contains(text.substring(start, i).toUpperCase(java.util.Locale.ROOT))) {
                    return true;
                }
                start = -1;
            }
        }
        return false;
    }

    /** The tree of a text by the core parser or by Babel alone: for the test that compares them. */
    static SqlNode parseWith(String text, boolean core) throws SqlParseException {
        return SqlParser.create(SparkLiterals.rewrite(stripTrailingSemicolon(text)), core ? CORE : CONFIG).parseStmt();
    }

    private static boolean causedByStackOverflow(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StackOverflowError) {
                return true;
            }
        }
        return false;
    }

    public static SqlPosition position(SqlParserPos pos) {
        if (pos == null || pos.getLineNum() <= 0) {
            return SqlPosition.UNKNOWN;
        }
        return new SqlPosition(pos.getLineNum(), pos.getColumnNum());
    }

    private static String stripTrailingSemicolon(String sql) {
        String trimmed = sql.stripTrailing();
        return trimmed.endsWith(";") ? trimmed.substring(0, trimmed.length() - 1) : sql;
    }

    /** Calcite lists every token it expected; the first line says what was found and where. */
    private static String firstLine(String message) {
        String line = message == null ? "unexpected input" : message.lines().findFirst().orElse(message);
        line = line.replaceAll(" at line \\d+, column \\d+\\.?", "").strip();
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
