package org.datasandbox.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A hand-written clock fake: the system clock, moved forward by an offset a test sets and resets. */
final class SettableClock extends Clock {
    private volatile Duration offset = Duration.ZERO;
    /** Moved forward on the job workers only, from their {@code readsBefore + 1}-th read on: a term ending mid-job. */
    private volatile Duration workerOffset = Duration.ZERO;
    private volatile int workerReadsBefore;
    private final java.util.concurrent.atomic.AtomicInteger workerReads = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * Moves the clock forward as the sandbox's job workers see it (threads {@code sandbox-job-*}) once they have read
     * it {@code readsBefore} times: a job submitted before the end of a term that executes, or releases, after it.
     */
    void advanceOnJobWorkers(Duration by, int readsBefore) {
        workerReads.set(0);
        workerReadsBefore = readsBefore;
        workerOffset = by;
    }

    void advance(Duration by) {
        offset = offset.plus(by);
    }

    void reset() {
        offset = Duration.ZERO;
        workerOffset = Duration.ZERO;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this; // terms are reckoned in UTC days only
    }

    @Override
    public Instant instant() {
        Instant now = Instant.now().plus(offset);
        if (!workerOffset.isZero() && Thread.currentThread().getName().startsWith("sandbox-job-")
                && workerReads.incrementAndGet() > workerReadsBefore) {
            return now.plus(workerOffset);
        }
        return now;
    }
}
