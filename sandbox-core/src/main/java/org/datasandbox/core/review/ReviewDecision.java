package org.datasandbox.core.review;

import java.util.Objects;
import org.datasandbox.core.SandboxException;

/**
 * A reviewer's decision on a request: approve or reject, always with a reason (at most 2,000 characters), which
 * the request keeps. The ledger records the reason's hash, not its text: a reviewer may quote the output.
 */
public record ReviewDecision(String requestId, Verdict verdict, String reason) {
    public static final int MAX_REASON_CHARS = 2000;

    public enum Verdict {
        APPROVE,
        REJECT
    }

    public ReviewDecision {
        Objects.requireNonNull(verdict, "verdict");
        if (requestId == null || requestId.isBlank()) {
            throw SandboxException.invalid("a decision names the release request it decides");
        }
        if (reason == null || reason.isBlank()) {
            throw SandboxException.invalid("a decision needs a reason: say why the output may or may not leave");
        }
        reason = reason.strip();
        if (reason.length() > MAX_REASON_CHARS) {
            throw SandboxException.invalid("a reason is at most " + MAX_REASON_CHARS + " characters. Provided length: "
                    + reason.length());
        }
    }
}
