package org.datasandbox.core.job;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.datasandbox.core.ErrorCode;
import org.datasandbox.core.SandboxException;
import org.datasandbox.core.config.JobLimits;

/**
 * The waiting jobs, one queue per developer, dispatched in turn: each take serves the developer who has
 * waited longest since last served and is under the running limit. A developer with a long backlog
 * therefore delays another developer's job by at most one job per developer with work waiting, never by
 * the length of the backlog. Submissions beyond a developer's or the sandbox's limit are refused.
 *
 * @param <T> a job; {@code owner} gives the key of the developer it belongs to
 */
final class FairQueue<T> {
    private final JobLimits limits;
    private final Function<T, String> owner;
    /** Developers with jobs waiting, in the order they are next served. */
    private final LinkedHashMap<String, ArrayDeque<T>> waiting = new LinkedHashMap<>();
    private final Map<String, Integer> running = new HashMap<>();
    private int queued;
    private boolean closed;

    FairQueue(JobLimits limits, Function<T, String> owner) {
        this.limits = limits;
        this.owner = owner;
    }

    /** Queues a job, or refuses it naming the limit it would exceed. */
    synchronized void add(T job) {
        String key = owner.apply(job);
        ArrayDeque<T> mine = waiting.get(key);
        int myQueued = mine == null ? 0 : mine.size();
        if (myQueued >= limits.maxQueuedPerDeveloper()) {
            throw new SandboxException(ErrorCode.TOO_MANY_JOBS, "You have " + myQueued
                    + " jobs waiting, the most one developer may have (limit maxQueuedPerDeveloper); submit again when"
                    + " one has started", Map.of("limit", "maxQueuedPerDeveloper",
                    "value", Integer.toString(limits.maxQueuedPerDeveloper())));
        }
        if (queued >= limits.maxQueued()) {
            throw new SandboxException(ErrorCode.BUSY, "The sandbox is busy (limit maxQueued); submit the job again"
                    + " later", Map.of("limit", "maxQueued", "value", Integer.toString(limits.maxQueued())));
        }
        waiting.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(job);
        queued++;
        notifyAll();
    }

    /** The next job in turn, waiting for one; null once closed. The caller must call {@link #done} after it. */
    synchronized T take() throws InterruptedException {
        while (!closed) {
            T next = poll();
            if (next != null) {
                return next;
            }
            wait();
        }
        return null;
    }

    /** The next job in turn, or null when none may start now. */
    synchronized T poll() {
        Iterator<Map.Entry<String, ArrayDeque<T>>> developers = waiting.entrySet().iterator();
        while (developers.hasNext()) {
            Map.Entry<String, ArrayDeque<T>> developer = developers.next();
            if (running.getOrDefault(developer.getKey(), 0) >= limits.maxRunningPerDeveloper()) {
                continue;
            }
            T job = developer.getValue().pollFirst();
            developers.remove();
            if (!developer.getValue().isEmpty()) {
                waiting.put(developer.getKey(), developer.getValue()); // to the back of the line
            }
            queued--;
            running.merge(developer.getKey(), 1, Integer::sum);
            return job;
        }
        return null;
    }

    /** A job handed out by {@link #take} has ended: its developer may run another. */
    synchronized void done(T job) {
        running.computeIfPresent(owner.apply(job), (k, n) -> n > 1 ? n - 1 : null);
        notifyAll();
    }

    /** Removes a waiting job; false when it is not waiting (it started, or was never queued). */
    synchronized boolean remove(T job) {
        String key = owner.apply(job);
        ArrayDeque<T> mine = waiting.get(key);
        if (mine == null || !mine.remove(job)) {
            return false;
        }
        if (mine.isEmpty()) {
            waiting.remove(key);
        }
        queued--;
        return true;
    }

    synchronized int queued() {
        return queued;
    }

    /** Stops handing out jobs; those still waiting stay where they are (the journal keeps them). */
    synchronized void close() {
        closed = true;
        notifyAll();
    }
}
