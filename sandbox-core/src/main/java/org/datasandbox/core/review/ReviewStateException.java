package org.datasandbox.core.review;

/**
 * What the desk kept does not open, or does not agree with the evidence ledger: the sandbox refuses to start
 * rather than drop a request or release an output nobody approved. The message names files and request ids, never
 * their content.
 */
public final class ReviewStateException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public ReviewStateException(String message) {
        super(message);
    }
}
