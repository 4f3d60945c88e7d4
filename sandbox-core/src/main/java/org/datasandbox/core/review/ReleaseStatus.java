package org.datasandbox.core.review;

/** Where a release request is: waiting for votes, released, or refused for good. */
public enum ReleaseStatus {
    PENDING,
    /** Enough distinct reviewers approved the current output: it can be fetched. */
    APPROVED,
    /** A reviewer rejected it: its output can never be fetched. */
    REJECTED
}
