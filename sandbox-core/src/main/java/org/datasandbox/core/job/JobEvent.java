package org.datasandbox.core.job;

import java.util.Objects;

/**
 * One step of a job as its owner sees it: state, Spark progress in tasks, and a message that never
 * contains data values.
 */
public record JobEvent(String jobId, JobState state, int tasksDone, int tasksTotal, String message, String errorCode) {

    public JobEvent {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(message, "message");
        errorCode = errorCode == null ? "" : errorCode;
    }
}
