package org.datasandbox.guard.explain;

import java.util.Objects;
import java.util.Optional;

/**
 * One reason a query was refused.
 *
 * @param detail what exactly was wrong, naming columns and functions of the query, never data values
 * @param suggestion a compliant rewrite to try, when one exists
 */
public record Violation(RuleId rule, String detail, SqlPosition position, Optional<String> suggestion) {

    public Violation {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(suggestion, "suggestion");
    }

    public static Violation of(RuleId rule, String detail, SqlPosition position) {
        return new Violation(rule, detail, position, Optional.empty());
    }

    public Violation withSuggestion(String value) {
        return new Violation(rule, detail, position, Optional.of(value));
    }

    /** The one-line message shown to users: rule summary, detail and position. */
    public String message() {
        String where = position.isKnown() ? " (" + position + ")" : "";
        return rule.summary() + ": " + detail + where;
    }
}
