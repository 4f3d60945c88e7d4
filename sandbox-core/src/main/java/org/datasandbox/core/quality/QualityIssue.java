package org.datasandbox.core.quality;

import java.time.Instant;
import java.util.Objects;

/**
 * One data-quality issue: the table, the developer's category and description (no values, see {@link IssueText}),
 * who filed it and when, the deadline of its answer, and the answer once given. Times are ISO instants; the answer
 * fields are empty while the issue is open.
 */
public record QualityIssue(String id, String table, String category, String description, String filedBy,
                           String filed, String deadline, String answer, String answeredBy, String answered) {
    public QualityIssue {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(filedBy, "filedBy");
        Instant.parse(Objects.requireNonNull(filed, "filed"));
        Instant.parse(Objects.requireNonNull(deadline, "deadline"));
        answer = answer == null ? "" : answer;
        answeredBy = answeredBy == null ? "" : answeredBy;
        answered = answered == null ? "" : answered;
        if (answer.isEmpty() != answered.isEmpty()) {
            throw new IllegalArgumentException("an answered issue has its answer and its time, an open one neither");
        }
    }

    public boolean open() {
        return answered.isEmpty();
    }

    /** Open at or after its deadline. */
    public boolean overdue(Instant now) {
        return open() && !now.isBefore(Instant.parse(deadline));
    }

    /** Answered after its deadline. */
    public boolean answeredLate() {
        return !open() && !Instant.parse(answered).isBefore(Instant.parse(deadline));
    }

    public String state(Instant now) {
        return open() ? (overdue(now) ? "overdue" : "open") : answeredLate() ? "answered-late" : "answered";
    }

    QualityIssue answer(String text, String provider, Instant when) {
        return new QualityIssue(id, table, category, description, filedBy, filed, deadline, text, provider,
                when.toString());
    }
}
