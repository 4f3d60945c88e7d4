package org.datasandbox.guard.dp;

import org.datasandbox.guard.GuardException;
import org.datasandbox.guard.explain.RuleId;
import org.datasandbox.guard.explain.SqlPosition;
import org.datasandbox.guard.explain.Violation;

/**
 * Every reason the DP rewrite refuses a query, declared once with its suggestion. Details name parts of the
 * query (columns, functions, output names), never data values.
 */
enum DpRefusal {
    NO_AGGREGATE("the query releases no aggregate over rows",
            "aggregate with COUNT, SUM, AVG, MIN or MAX, grouped by dimensions"),
    ABOVE_AGGREGATE("%s after the aggregation",
            "release the aggregates as they are (no HAVING, ORDER BY, LIMIT, arithmetic or window on them) and "
                    + "post-process the noisy result"),
    NESTED_AGGREGATE("an aggregate or sub-query result is read below the released aggregate",
            "aggregate the rows of each person directly; a value computed from other people's rows cannot be bounded"),
    UNSUPPORTED_INPUT("%s below the aggregation",
            "read tables through filters, projections and joins on the privacy unit only"),
    UNATTRIBUTABLE_JOIN("a join whose rows cannot be attributed to one privacy unit",
            "join tables on their privacy unit (e.g. a person's visits to the person)"),
    UNIT_NOT_GRANTED("the privacy unit of %s is not granted to the scenario",
            "ask for the privacy unit column to be granted: DP bounds each unit's contribution"),
    GROUP_KEY_NOT_RELEASED("group key %s is not in the output",
            "select every GROUP BY expression"),
    DUPLICATE_OUTPUT("output name %s is used twice or is reserved",
            "give every released column its own name, not starting with __dp"),
    AGGREGATE_FUNCTION("%s cannot be released with DP noise",
            "use COUNT(*), COUNT(column), COUNT(DISTINCT privacy unit), SUM, AVG, MIN or MAX of a bounded measure"),
    DISTINCT_NOT_UNIT("COUNT(DISTINCT ...) of a column other than the privacy unit",
            "count distinct privacy units, or group by the column and count"),
    NOT_BOUNDED("%s", "aggregate measures with clamping bounds in the policy, and linear combinations of them "
            + "with literal coefficients (x + y, 2 * x, x / 100)");

    private final String detail;
    private final String suggestion;

    DpRefusal(String detail, String suggestion) {
        this.detail = detail;
        this.suggestion = suggestion;
    }

    /** The refusal, ready to throw: a {@link RuleId#DP_UNSUPPORTED} violation with its suggestion. */
    GuardException exception(Object... arguments) {
        return new GuardException(Violation.of(RuleId.DP_UNSUPPORTED, String.format(detail, arguments),
                SqlPosition.UNKNOWN).withSuggestion(suggestion));
    }
}
