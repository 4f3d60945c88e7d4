package org.datasandbox.guard.explain;

/**
 * Every rule the guard applies, with its stable id and its message. The ids are a public contract:
 * clients, tests and the ledger rely on them.
 */
public enum RuleId {
    SYNTAX_ERROR(Category.INVALID_QUERY, "SQL syntax error"),
    NOT_FOUND(Category.NOT_FOUND, "Table or column not found"),
    INVALID_QUERY(Category.INVALID_QUERY, "The query is not valid"),
    QUERY_TOO_LARGE(Category.INVALID_QUERY, "The query is too large or too deeply nested"),
    UNSUPPORTED_STATEMENT(Category.INVALID_QUERY, "Only SELECT queries can run in the sandbox"),
    FUNCTION_NOT_ALLOWED(Category.POLICY_DENIED, "Function is not on the allow-list"),
    ROW_LEVEL_OUTPUT(Category.POLICY_DENIED, "Row-level output cannot leave the sandbox"),
    GROUP_BY_NOT_DIMENSION(Category.POLICY_DENIED, "Grouping is only allowed by dimensions or coarse buckets"),
    IDENTIFIER_AGGREGATE(Category.POLICY_DENIED, "Identifiers cannot be aggregated"),
    EXTREME_VALUE_AGGREGATE(Category.POLICY_DENIED, "MIN, MAX, percentiles and similar aggregates reveal single values"),
    COLLECTION_AGGREGATE(Category.POLICY_DENIED, "String, array, map and set aggregation cannot leave the sandbox"),
    AGGREGATE_ARGUMENT(Category.POLICY_DENIED, "Aggregates may only take columns and arithmetic on them"),
    SUBTOTALS(Category.POLICY_DENIED, "Two aggregates of the same rows combined in one value reveal suppressed groups by subtraction"),
    IDENTIFIER_FILTER(Category.POLICY_DENIED, "Filters on identifiers or exact quasi-identifier values single people out"),
    JOIN_NOT_ALLOWED(Category.POLICY_DENIED, "Joins are only allowed on privacy units or declared keys"),
    ROW_LIMIT(Category.POLICY_DENIED, "ORDER BY ... LIMIT over rows isolates individuals"),
    WINDOW_OVER_ROWS(Category.POLICY_DENIED, "Window functions over individual rows cannot leave the sandbox"),
    GROUPING_SETS(Category.POLICY_DENIED, "ROLLUP, CUBE and GROUPING SETS are not allowed"),
    UNSUPPORTED_CONSTRUCT(Category.POLICY_DENIED, "This SQL construct is not supported by the guard"),
    DP_UNSUPPORTED(Category.POLICY_DENIED, "This query cannot be answered with DP noise"),
    /** Not a rejection: records that small groups were suppressed by rewriting the query. */
    MIN_GROUP_SIZE(Category.REWRITE, "Groups with fewer than k distinct privacy units are suppressed"),
    /** Not a rejection: records that the query was rewritten to bounded partials that are noised before release. */
    DP_NOISE(Category.REWRITE, "Each privacy unit's contribution is bounded and noise is added before release");

    /** What kind of outcome a rule produces. */
    public enum Category {
        INVALID_QUERY,
        NOT_FOUND,
        POLICY_DENIED,
        REWRITE
    }

    private final Category category;
    private final String summary;

    RuleId(Category category, String summary) {
        this.category = category;
        this.summary = summary;
    }

    public Category category() {
        return category;
    }

    /** The fixed one-line summary; details follow it in {@link Violation#message()}. */
    public String summary() {
        return summary;
    }
}
