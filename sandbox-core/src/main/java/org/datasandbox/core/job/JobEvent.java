package org.datasandbox.core.job;

import java.util.List;
import java.util.Objects;

/**
 * One step of a job as its owner sees it: state, Spark progress in tasks, and a message that never
 * contains data values; a failure may carry coded hints on how the samples differ from the originals.
 */
public record JobEvent(String jobId, JobState state, int tasksDone, int tasksTotal, String message, String errorCode,
                       List<String> hints) {

    public JobEvent {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(message, "message");
        errorCode = errorCode == null ? "" : errorCode;
        hints = List.copyOf(hints);
    }

    public JobEvent(String jobId, JobState state, int tasksDone, int tasksTotal, String message, String errorCode) {
        this(jobId, state, tasksDone, tasksTotal, message, errorCode, List.of());
    }
}
