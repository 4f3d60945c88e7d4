package org.datasandbox.core.job;

/** Where a job is in its life. */
public enum JobState {
    QUEUED,
    RUNNING,
    /** Finished; its output passed the rules and can be fetched. */
    RELEASED,
    /** Failed while running on originals; no output, a coded reason only. */
    FAILED,
    /** Cancelled by its owner or an admin before it released anything; no output. */
    CANCELLED,
    /**
     * Finished, and its output is held as a release request: the end of the run (watches end here); a reviewer's
     * decision later moves it to RELEASED, or to FAILED with {@code REJECTED}.
     */
    HELD;

    public boolean isTerminal() {
        return this == RELEASED || this == FAILED || this == CANCELLED || this == HELD;
    }
}
