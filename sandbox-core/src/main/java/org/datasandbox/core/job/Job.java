package org.datasandbox.core.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.datasandbox.core.identity.Identity;
import org.datasandbox.guard.catalog.ColumnRef;

/** One job's mutable state: its events so far, its watchers and its released result. Thread-safe. */
final class Job {
    private final String id;
    private final Identity owner;
    private final String scenario;
    private final String sql;
    private final String sqlHash;
    private final Set<ColumnRef> columnsRead;
    private final java.util.Optional<org.datasandbox.guard.dp.DpQuery> dpQuery;
    private final Set<String> tables;
    private final List<JobEvent> events = new ArrayList<>();
    private final List<Consumer<JobEvent>> watchers = new ArrayList<>();
    private ReleasedResult result;
    /** The query as submitted and the guard's view of it, for the release review; null after a restart. */
    private ReviewContext review;
    private boolean cancelRequested;
    private boolean releasing;

    Job(String id, Identity owner, String scenario, String sql, String sqlHash, Set<ColumnRef> columnsRead) {
        this(id, owner, scenario, sql, sqlHash, columnsRead, java.util.Optional.empty(), Set.of());
    }

    /** @param dpQuery in DP mode, the guard's plan of the noisy release; {@code tables} the tables it reads */
    Job(String id, Identity owner, String scenario, String sql, String sqlHash, Set<ColumnRef> columnsRead,
        java.util.Optional<org.datasandbox.guard.dp.DpQuery> dpQuery, Set<String> tables) {
        this.dpQuery = dpQuery;
        this.tables = Set.copyOf(tables);
        this.id = id;
        this.owner = owner;
        this.scenario = scenario;
        this.sql = sql;
        this.sqlHash = sqlHash;
        this.columnsRead = Set.copyOf(columnsRead);
    }

    /** What the release review needs of a job: the query as submitted and the guard's scenario and lineage. */
    record ReviewContext(String submittedSql, org.datasandbox.guard.catalog.Scenario scenario,
                         Set<ColumnRef> outputColumns) {
    }

    synchronized void review(ReviewContext context) {
        this.review = context;
    }

    synchronized ReviewContext review() {
        return review;
    }

    String id() {
        return id;
    }

    Identity owner() {
        return owner;
    }

    String scenario() {
        return scenario;
    }

    String sql() {
        return sql;
    }

    String sqlHash() {
        return sqlHash;
    }

    java.util.Optional<org.datasandbox.guard.dp.DpQuery> dpQuery() {
        return dpQuery;
    }

    Set<String> tables() {
        return tables;
    }

    /** Base columns the job outputs or filters on, as the guard found them. */
    Set<ColumnRef> columnsRead() {
        return columnsRead;
    }

    /**
     * Records an event and hands it to every watcher. Delivery happens under the job's lock so that each
     * watcher sees events once, in order, from one thread at a time (gRPC observers need that).
     */
    synchronized void publish(JobEvent event) {
        JobState last = events.isEmpty() ? null : events.get(events.size() - 1).state();
        // a held output ends the run, and its review then ends the job once more
        if (last != null && last.isTerminal() && !(last == JobState.HELD && event.state() != JobState.HELD)) {
            return;
        }
        events.add(event);
        watchers.forEach(w -> w.accept(event));
        if (event.state().isTerminal()) {
            watchers.clear();
        }
    }

    /** Replays past events to the watcher, then follows new ones until the job ends. */
    synchronized void watch(Consumer<JobEvent> watcher) {
        for (int i = 0; i < events.size(); i++) {
            // a hold that a review has since ended is not an end any more: watchers stop at the review's outcome
            if (events.get(i).state() != JobState.HELD || i == events.size() - 1) {
                watcher.accept(events.get(i));
            }
        }
        boolean ended = !events.isEmpty() && events.get(events.size() - 1).state().isTerminal();
        if (!ended) {
            watchers.add(watcher);
        }
    }

    /**
     * Asks the job to stop; false when it has ended or is already releasing its result, which a
     * cancellation can no longer take back.
     */
    synchronized boolean requestCancel() {
        if (state().isTerminal() || releasing) {
            return false;
        }
        cancelRequested = true;
        return true;
    }

    synchronized boolean cancelRequested() {
        return cancelRequested;
    }

    /** Commits the job to releasing its result; false when a cancellation came first. */
    synchronized boolean beginRelease() {
        if (cancelRequested) {
            return false;
        }
        releasing = true;
        return true;
    }

    synchronized void release(ReleasedResult released) {
        this.result = released;
    }

    synchronized ReleasedResult result() {
        return result;
    }

    synchronized JobState state() {
        return events.isEmpty() ? JobState.QUEUED : events.get(events.size() - 1).state();
    }
}
