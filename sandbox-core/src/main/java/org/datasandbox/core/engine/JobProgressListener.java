package org.datasandbox.core.engine;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Turns Spark's scheduler events into task counts per sandbox job. A sandbox job runs its Spark jobs
 * under a job group named after it; only counts travel, never task results or errors.
 */
public final class JobProgressListener extends SparkListener {
    /** Progress of one sandbox job: tasks finished out of tasks submitted so far. */
    public record Progress(int stagesSubmitted, int tasksDone, int tasksTotal) {
    }

    private final Map<String, Consumer<Progress>> watchers = new ConcurrentHashMap<>();
    private final Map<Integer, String> stageOwners = new ConcurrentHashMap<>();
    private final Map<String, int[]> counts = new ConcurrentHashMap<>();

    /** Reports progress of the Spark jobs run under this group until {@link #unwatch}. */
    public void watch(String jobGroup, Consumer<Progress> watcher) {
        counts.put(jobGroup, new int[3]);
        watchers.put(jobGroup, watcher);
    }

    public void unwatch(String jobGroup) {
        watchers.remove(jobGroup);
        counts.remove(jobGroup);
        stageOwners.values().removeIf(jobGroup::equals);
    }

    @Override
    public void onJobStart(SparkListenerJobStart jobStart) {
        String group = jobStart.properties() == null ? null : jobStart.properties().getProperty("spark.jobGroup.id");
        if (group == null || !watchers.containsKey(group)) {
            return;
        }
        jobStart.stageIds().foreach(id -> stageOwners.put((Integer) id, group));
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted submitted) {
        String group = stageOwners.get(submitted.stageInfo().stageId());
        int[] c = group == null ? null : counts.get(group);
        if (c != null) {
            synchronized (c) {
                c[0]++;
                c[2] += submitted.stageInfo().numTasks();
            }
            publish(group, c);
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        String group = stageOwners.get(taskEnd.stageId());
        int[] c = group == null ? null : counts.get(group);
        if (c != null) {
            synchronized (c) {
                c[1]++;
            }
            publish(group, c);
        }
    }

    private void publish(String group, int[] c) {
        Consumer<Progress> watcher = watchers.get(group);
        if (watcher != null) {
            Progress progress;
            synchronized (c) {
                progress = new Progress(c[0], Math.min(c[1], c[2]), c[2]);
            }
            watcher.accept(progress);
        }
    }
}
