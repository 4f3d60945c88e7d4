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
    CANCELLED;

    public boolean isTerminal() {
        return this == RELEASED || this == FAILED || this == CANCELLED;
    }
}
