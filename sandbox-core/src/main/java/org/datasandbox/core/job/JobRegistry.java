package org.datasandbox.core.job;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The jobs the sandbox remembers, bounded: a finished job and its released result are forgotten (and the
 * result file deleted) once the retention period has passed, or earlier, oldest first, when the results
 * kept would exceed their total size. Jobs still queued or running are never evicted; the job limits
 * bound them. A forgotten job's journal file goes with it.
 */
final class JobRegistry {
    private record Entry(Job job, Instant finishedAt, long resultBytes) {
        boolean finished() {
            return finishedAt != null;
        }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>(); // in order of finishing, then submission
    private final Clock clock;
    private final Duration retention;
    private final long maxResultBytes;
    private final org.datasandbox.core.release.SealedResults sealed;
    private final JobJournal journal;
    private long resultBytes;

    JobRegistry(Clock clock, Duration retention, long maxResultBytes,
                org.datasandbox.core.release.SealedResults sealed, JobJournal journal) {
        this.journal = journal;
        this.clock = clock;
        this.retention = retention;
        this.maxResultBytes = maxResultBytes;
        this.sealed = sealed;
    }

    synchronized void add(Job job) {
        evict();
        entries.put(job.id(), new Entry(job, null, 0));
    }

    synchronized void remove(String jobId) {
        entries.remove(jobId);
        journal.delete(jobId);
    }

    /** A job that ended before a restart, with when it ended and the size of the result it holds. */
    synchronized void restore(Job job, Instant finishedAt, long bytes) {
        entries.put(job.id(), new Entry(job, finishedAt, bytes));
        resultBytes += bytes;
    }

    /** The retention of finished jobs: a job that ended at or before this instant is forgotten. */
    Instant expiredBefore() {
        return clock.instant().minus(retention);
    }

    Instant now() {
        return clock.instant();
    }

    /** Marks a job finished, with the size of the result it holds (0 when it released none). */
    synchronized void finished(String jobId, long bytes) {
        Entry entry = entries.remove(jobId);
        if (entry == null) {
            return;
        }
        entries.put(jobId, new Entry(entry.job(), clock.instant(), bytes)); // re-inserted: finishing order
        resultBytes += bytes;
        evict();
    }

    synchronized Optional<Job> get(String jobId) {
        evict();
        Entry entry = jobId == null ? null : entries.get(jobId);
        return entry == null ? Optional.empty() : Optional.of(entry.job());
    }

    /**
     * Forgets the finished jobs of a scenario whose authorization ended, with the results they hold in memory
     * and their journal records; their sealed files stay, as ciphertext under a destroyed key. Returns how many.
     */
    synchronized int forgetScenario(String scenario) {
        int forgotten = 0;
        Iterator<Entry> it = entries.values().iterator();
        while (it.hasNext()) {
            Entry entry = it.next();
            if (entry.finished() && entry.job().scenario().equals(scenario)) {
                it.remove();
                resultBytes -= entry.resultBytes();
                journal.delete(entry.job().id());
                forgotten++;
            }
        }
        return forgotten;
    }

    synchronized int size() {
        return entries.size();
    }

    synchronized long resultBytes() {
        return resultBytes;
    }

    private void evict() {
        Instant expired = expiredBefore();
        Iterator<Entry> it = entries.values().iterator();
        while (it.hasNext()) {
            Entry entry = it.next();
            if (!entry.finished()) {
                continue;
            }
            if (!entry.finishedAt().isAfter(expired) || resultBytes > maxResultBytes && entry.resultBytes() > 0) {
                it.remove();
                forget(entry);
            }
        }
    }

    private void forget(Entry entry) {
        resultBytes -= entry.resultBytes();
        journal.delete(entry.job().id());
        try {
            sealed.delete(entry.job().scenario(), entry.job().id());
            sealed.deleteHeld(entry.job().scenario(), entry.job().id());
        } catch (IOException e) {
            // the file is only a copy: the ledger holds the result's hash
        }
    }
}
