package org.datasandbox.guard;

import java.util.Objects;
import org.datasandbox.guard.explain.RuleId;
import org.datasandbox.guard.explain.SqlPosition;
import org.datasandbox.guard.explain.Violation;

/**
 * A query the guard cannot accept, raised inside the pipeline and turned into a rejecting decision by
 * {@link QueryGuard}. The message names parts of the query, never data values.
 */
public final class GuardException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Violation violation;

    public GuardException(Violation violation) {
        super(violation.message());
        this.violation = Objects.requireNonNull(violation);
    }

    public GuardException(RuleId rule, String detail, SqlPosition position) {
        this(Violation.of(rule, detail, position));
    }

    public Violation violation() {
        return violation;
    }
}
