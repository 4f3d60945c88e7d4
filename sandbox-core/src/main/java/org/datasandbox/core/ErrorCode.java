package org.datasandbox.core;

/** Every error the sandbox reports, each with a category that decides how it is surfaced. */
public enum ErrorCode {
    INVALID_ARGUMENT(Category.USER_ERROR),
    INVALID_CSV(Category.USER_ERROR),
    INVALID_PARQUET(Category.USER_ERROR),
    INVALID_POLICY(Category.USER_ERROR),
    INVALID_SQL(Category.USER_ERROR),
    ALREADY_EXISTS(Category.USER_ERROR),
    NOT_FOUND(Category.NOT_FOUND),
    /** The thing exists but is not in the state the call needs, e.g. a job with no released result yet. */
    NOT_READY(Category.FAILED_PRECONDITION),
    POLICY_DENIED(Category.POLICY_DENIED),
    UNAUTHENTICATED(Category.UNAUTHENTICATED),
    PERMISSION_DENIED(Category.PERMISSION_DENIED),
    TOO_LARGE(Category.RESOURCE_EXHAUSTED),
    BUDGET_EXHAUSTED(Category.RESOURCE_EXHAUSTED),
    /** A developer has as many jobs waiting as a job limit allows; the details name the limit. */
    TOO_MANY_JOBS(Category.RESOURCE_EXHAUSTED),
    /** A job's outcome, never thrown: its owner or an admin cancelled it. */
    CANCELLED(Category.FAILED_PRECONDITION),
    /** A job's outcome, never thrown: the sandbox stopped while the job was queued or running. */
    INTERRUPTED(Category.UNAVAILABLE),
    /** The sandbox's queue is full: transient, worth retrying later with a backoff. */
    BUSY(Category.UNAVAILABLE),
    /** A job failed while running on originals; the cause never leaves the sandbox. */
    EXECUTION_FAILED(Category.INTERNAL),
    LEDGER_INVALID(Category.INTERNAL),
    /** The job's output is held as a release request until reviewers approve it. */
    AWAITING_REVIEW(Category.FAILED_PRECONDITION),
    /** The job's output was rejected by a reviewer (or replaced by a re-run's): it can never be fetched. */
    REJECTED(Category.FAILED_PRECONDITION),
    INTERNAL(Category.INTERNAL),
    /** The scenario's authorization has ended (its term expired, or it was terminated). */
    SCENARIO_EXPIRED(Category.FAILED_PRECONDITION);

    /** How a caller should read an error. */
    public enum Category {
        USER_ERROR,
        NOT_FOUND,
        FAILED_PRECONDITION,
        POLICY_DENIED,
        UNAUTHENTICATED,
        PERMISSION_DENIED,
        RESOURCE_EXHAUSTED,
        UNAVAILABLE,
        INTERNAL
    }

    private final Category category;

    ErrorCode(Category category) {
        this.category = category;
    }

    public Category category() {
        return category;
    }
}
