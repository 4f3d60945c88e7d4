package org.datasandbox.core.config;

/**
 * How many jobs on the originals the sandbox runs and holds, overall and per developer. Developers are
 * served in turn (round robin), so one developer's backlog delays another's job by at most one job per
 * other developer with work queued; the per-developer limits keep one backlog from filling the queue.
 *
 * @param workers jobs running at once (Spark parallelizes inside each)
 * @param maxQueued jobs waiting overall
 * @param maxQueuedPerDeveloper jobs one developer may have waiting
 * @param maxRunningPerDeveloper jobs of one developer running at once
 */
public record JobLimits(int workers, int maxQueued, int maxQueuedPerDeveloper, int maxRunningPerDeveloper) {
    public static final JobLimits DEFAULT = new JobLimits(2, 256, 16, 1);

    public JobLimits {
        if (workers < 1 || maxQueued < 1 || maxQueuedPerDeveloper < 1 || maxRunningPerDeveloper < 1) {
            throw new IllegalArgumentException("job limits must be positive. Provided values: " + workers + ", "
                    + maxQueued + ", " + maxQueuedPerDeveloper + ", " + maxRunningPerDeveloper);
        }
        if (maxQueuedPerDeveloper > maxQueued) {
            throw new IllegalArgumentException("maxQueuedPerDeveloper must be <= maxQueued. Provided values: "
                    + maxQueuedPerDeveloper + ", " + maxQueued);
        }
    }
}
