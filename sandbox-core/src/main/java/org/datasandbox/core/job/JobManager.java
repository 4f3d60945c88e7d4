package org.datasandbox.core.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.datasandbox.core.ErrorCode;
import org.datasandbox.core.SandboxException;
import org.datasandbox.core.config.SandboxConfig;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.crypto.SecureRandoms;
import org.datasandbox.core.dprelease.DpReleases;
import org.datasandbox.core.engine.SparkEngine;
import org.datasandbox.core.identity.Identity;
import org.datasandbox.core.ledger.EvidenceLedger;
import org.datasandbox.core.ledger.LedgerEntry;
import org.datasandbox.core.release.ArrowResultWriter;
import org.datasandbox.core.release.ArrowResults;
import org.datasandbox.core.sample.SampleHints;
import org.datasandbox.guard.catalog.ColumnRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs jobs on the originals. Submission is synchronous up to the guard's decision; execution happens on
 * a few workers (Spark parallelizes inside each job) that serve developers in turn ({@link FairQueue}),
 * each developer's jobs in their own Spark fair-scheduler pool. Every change of a job's state is journaled
 * ({@link JobJournal}) so that a restart closes what was interrupted and keeps released results
 * ({@link JobRecovery}). Only the owner of a job can see it (an admin can cancel it), for as long as the
 * configuration keeps finished jobs ({@link JobRegistry}).
 */
public final class JobManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobManager.class);

    private final SparkEngine engine;
    private final SampleHints hints;
    private final GuardGate gate;
    private final EvidenceLedger ledger;
    private final CryptoProfile crypto;
    private final SandboxConfig config;
    private final Path resultsDir;
    private final org.datasandbox.core.release.SealedResults sealed;
    private final JobRegistry jobs;
    private final DpReleases dpReleases;
    private final StoredTables stored;
    private final JobJournal journal;
    /** Where job ids are claimed: this process, or every server sharing the metadata database. */
    private volatile JobIds ids;
    /** The journal records of the jobs queued or running. */
    private final Map<String, JobRecord> active = new java.util.concurrent.ConcurrentHashMap<>();
    private final FairQueue<Job> queue;
    private final List<Thread> workers = new java.util.ArrayList<>();
    /** The release review of threshold and review-mode outputs; set once when the sandbox opens (null: none). */
    private volatile org.datasandbox.core.review.ReleaseReview review;
    private volatile java.util.function.Function<String, java.util.Optional<org.datasandbox.core.policy.ScenarioPolicy>> scenarios;
    private volatile java.util.function.Predicate<org.datasandbox.core.policy.ScenarioPolicy> scenarioInForce = scenario -> false;
    /** The journal records of jobs whose output is held for review (journaled as held until decided). */
    private final Map<String, JobRecord> held = new java.util.concurrent.ConcurrentHashMap<>();

    public JobManager(SparkEngine engine, GuardGate gate, EvidenceLedger ledger, CryptoProfile crypto,
                      SandboxConfig config, SampleHints hints, DpReleases dpReleases,
                      org.datasandbox.core.release.SealedResults sealed, StoredTables stored) throws IOException {
        this(engine, gate, ledger, crypto, config, hints, dpReleases, sealed, stored, Clock.systemUTC());
    }

    /** Checks a table's stored originals before a job reads them (and again before its output leaves). */
    @FunctionalInterface
    public interface StoredTables {
        /**
         * @throws SandboxException {@code EXECUTION_FAILED}, reason {@code STORED_FILES_MISMATCH}, when they are not
         *         the files written ({@link org.datasandbox.core.storage.OriginalTables#requireStored})
         */
        void verify(String table);
    }

    /**
     * @param dpReleases releases the jobs of DP-mode scenarios
     * @param sealed where results are kept at rest, sealed under their scenario's key
     * @param stored checks the stored originals of every table a job reads: a job never runs on files that are
     *        not those the sandbox wrote
     * @param clock when finished jobs expire; tests pass their own
     */
    public JobManager(SparkEngine engine, GuardGate gate, EvidenceLedger ledger, CryptoProfile crypto,
                      SandboxConfig config, SampleHints hints, DpReleases dpReleases,
                      org.datasandbox.core.release.SealedResults sealed, StoredTables stored, Clock clock)
            throws IOException {
        this.stored = java.util.Objects.requireNonNull(stored, "stored");
        this.sealed = java.util.Objects.requireNonNull(sealed, "sealed");
        this.dpReleases = java.util.Objects.requireNonNull(dpReleases, "dpReleases");
        this.engine = engine;
        this.hints = hints;
        this.gate = gate;
        this.ledger = ledger;
        this.crypto = crypto;
        this.config = config;
        this.resultsDir = config.dataDir().resolve("results");
        Files.createDirectories(resultsDir);
        this.journal = JobJournal.open(config.dataDir().resolve("jobs"));
        this.ids = JobIds.notJournaled(config.dataDir().resolve("jobs"));
        this.jobs = new JobRegistry(clock, config.limits().jobRetention(), config.limits().maxRetainedResultBytes(),
                sealed, journal);
        new JobRecovery(journal, jobs, ledger, crypto, resultsDir, sealed).recover()
                .forEach(record -> held.put(record.jobId(), record));
        this.queue = new FairQueue<>(config.jobLimits(), job -> ownerKey(job.owner()));
        for (int i = 0; i < config.jobLimits().workers(); i++) {
            Thread worker = new Thread(this::work, "sandbox-job-" + i);
            worker.setDaemon(true);
            worker.setUncaughtExceptionHandler(QuietFailures.HANDLER);
            workers.add(worker);
            worker.start();
        }
    }

    /**
     * Checks and queues a job; refusals are thrown as {@link SandboxException}s with the rule that fired, or
     * the job limit that a developer has reached ({@link FairQueue}).
     */
    public JobTicket submit(Identity developer, String scenarioId, String sql) {
        String jobId = newJobId();
        GuardGate.Checked checked = gate.check(developer, scenarioId, sql, jobId);
        String rewritten = checked.decision().rewrittenSql().orElseThrow();
        Set<ColumnRef> read = new java.util.HashSet<>(checked.decision().outputColumns());
        read.addAll(checked.decision().filterColumns());
        Job job = new Job(jobId, developer, checked.scenario().id(), rewritten, checked.sqlHash(), read,
                checked.decision().dpQuery(), checked.decision().tables());
        job.review(new Job.ReviewContext(sql, checked.scenario(), checked.decision().outputColumns()));
        jobs.add(job);
        JobRecord record = JobRecord.queued(job, jobs.now().toString());
        journal.write(record);
        active.put(jobId, record);
        job.publish(new JobEvent(jobId, JobState.QUEUED, 0, 0, "queued", null));
        ledger.append(developer, "job.submitted", jobId, Map.of("scenario", job.scenario(), "sqlHash", job.sqlHash()));
        try {
            queue.add(job);
        } catch (SandboxException e) {
            active.remove(jobId);
            jobs.remove(jobId);
            ledger.append(developer, "job.refused", jobId, Map.of("code", e.code().name(),
                    "limit", e.details().getOrDefault("limit", "")));
            throw e;
        }
        return new JobTicket(jobId, job.scenario(), rewritten, checked.decision().rewrites());
    }

    /**
     * A dry run: the guard's decision (refusals throw as for {@link #submit}) and what the query would spend,
     * without running it.
     */
    public org.datasandbox.core.dprelease.CostEstimate estimate(Identity developer, String scenarioId, String sql) {
        GuardGate.Checked checked = gate.check(developer, scenarioId, sql, "dry-run");
        if (checked.decision().dpQuery().isPresent()) {
            return dpReleases.estimate(checked.scenario().id(), checked.decision().dpQuery().get(),
                    checked.decision().tables());
        }
        return new org.datasandbox.core.dprelease.CostEstimate(checked.scenario().id(), "threshold", 0, 0, false, true,
                List.of(), checked.decision().rewrittenSql().orElseThrow());
    }

    /** Streams a job's events to its owner: past ones first, then live ones until it ends. */
    public void watch(Identity developer, String jobId, Consumer<JobEvent> watcher) {
        owned(developer, jobId).watch(watcher);
    }

    /**
     * Cancels a job that has not ended: a queued job leaves the queue, a running job's Spark job group is
     * cancelled and whatever it computed is destroyed. A developer cancels their own jobs, an admin any.
     *
     * @return the state the job was in: {@code QUEUED} or {@code RUNNING}
     * @throws SandboxException {@code NOT_FOUND} for a job the caller may not see, {@code NOT_READY} when
     *         it has ended or is already releasing its result
     */
    public JobState cancel(Identity caller, String jobId) {
        Job job = caller.role() == org.datasandbox.core.identity.Role.ADMIN
                ? jobs.get(jobId).orElseThrow(() -> SandboxException.notFound("job '" + jobId + "'"))
                : owned(caller, jobId);
        if (!job.requestCancel()) {
            throw new SandboxException(ErrorCode.NOT_READY, "job " + jobId + " can no longer be cancelled (state "
                    + job.state().name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
        boolean wasQueued = queue.remove(job);
        ledger.append(caller, "job.cancelled", jobId, Map.of("was", wasQueued ? "queued" : "running"));
        if (wasQueued) {
            endCancelled(job);
            jobs.finished(jobId, 0);
            return JobState.QUEUED;
        }
        engine.originals().sparkContext().cancelJobGroup(jobId);
        return JobState.RUNNING;
    }

    public JobState state(Identity developer, String jobId) {
        return owned(developer, jobId).state();
    }

    /** The released output of a finished job. */
    /** Forgets the finished jobs of a scenario whose authorization ended, and the results held for them. */
    public int forgetScenario(String scenario) {
        held.values().removeIf(record -> record.scenario().equals(scenario));
        return jobs.forgetScenario(scenario);
    }

    /**
     * A released result read whole from sealed storage (the same checks and {@code result.fetched} entry as
     * {@link #openResult}); one above {@code maxResultRows} is {@code TOO_LARGE}: it is read over Arrow Flight.
     */
    public FetchedResult result(Identity developer, String jobId) {
        ReleasedResult result = released(owned(developer, jobId));
        if (result.rows() > config.maxResultRows()) {
            throw new SandboxException(ErrorCode.TOO_LARGE, "job " + jobId + "'s result has more than "
                    + config.maxResultRows() + " rows: read it over Arrow Flight");
        }
        try (OpenedResult opened = openResult(developer, jobId)) {
            return new FetchedResult(jobId, opened.arrowIpc().readAllBytes(), result.rows(), result.sha(),
                    result.ledgerSequence());
        } catch (IOException e) {
            throw unreadable(jobId, e);
        }
    }

    /** A job's released result; refuses (held, rejected, not ready) as {@link #result} does. */
    private ReleasedResult released(Job job) {
        String jobId = job.id();
        ReleasedResult result = job.result();
        org.datasandbox.core.review.ReleaseReview reviewing = review;
        if (result == null && reviewing != null) {
            var request = reviewing.desk().forJob(jobId);
            if (request.isPresent() && request.get().jobId().equals(jobId)
                    && request.get().status() == org.datasandbox.core.review.ReleaseStatus.PENDING) {
                throw new SandboxException(ErrorCode.AWAITING_REVIEW, "job " + jobId + "'s output is held for review "
                        + "as release request " + request.get().id() + "; fetch it once a reviewer approves it",
                        Map.of("request", request.get().id()));
            }
            if (request.isPresent()) {
                throw new SandboxException(ErrorCode.REJECTED, "job " + jobId + "'s output was not approved (release "
                        + "request " + request.get().id() + "): it can never be fetched", Map.of("request", request.get().id()));
            }
        }
        if (result == null) {
            throw new SandboxException(ErrorCode.NOT_READY, "job " + jobId + " has no released result (state "
                    + job.state().name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
        return result;
    }

    /**
     * The same flow on the masked samples, whose results the developer may see directly.
     *
     * @param samples the session of a scenario's samples in which the tables the query reads exist
     */
    public DevRunResult devRun(Identity developer, String scenarioId, String sql,
                               BiFunction<String, Set<String>, SparkSession> samples) {
        GuardGate.Checked checked = gate.check(developer, scenarioId, sql, "dev-run");
        String rewritten = checked.decision().rewrittenSql().orElseThrow();
        byte[] ipc;
        long rowCount;
        try {
            Dataset<Row> frame = samples.apply(checked.scenario().id(), checked.decision().tables()).sql(rewritten);
            if (checked.decision().dpQuery().isPresent()) {
                // the shape of the DP release (noisy values and intervals), on samples: nothing to spend
                ipc = dpReleases.devRun(checked.scenario().id(), checked.decision().dpQuery().get(), frame);
                rowCount = ArrowResults.decode(ipc).rows().size();
            } else {
                List<Row> rows = frame.limit(config.maxResultRows() + 1).collectAsList();
                if (rows.size() > config.maxResultRows()) {
                    throw new SandboxException(ErrorCode.TOO_LARGE, "The result has more than " + config.maxResultRows()
                            + " rows");
                }
                ipc = ArrowResults.encode(frame.schema(), rows);
                rowCount = rows.size();
            }
        } catch (SandboxException e) {
            throw e;
        } catch (Exception e) {
            throw failure(developer, "dev-run", e);
        }
        ledger.append(developer, "job.dev_run", "dev-run", Map.of("scenario", checked.scenario().id(),
                "sqlHash", checked.sqlHash(), "resultSha", HexFormat.of().formatHex(crypto.hash(ipc)), "rows",
                Long.toString(rowCount)));
        return new DevRunResult(rewritten, checked.decision().rewrites(), ipc, rowCount);
    }

    /** A dev run's outcome. */
    public record DevRunResult(String rewrittenSql, List<org.datasandbox.guard.explain.RuleId> rewrites,
                               byte[] arrowIpc, long rows) {
    }

    /** A worker: runs the job next in turn until the manager closes. */
    private void work() {
        while (true) {
            Job job;
            try {
                job = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (job == null) {
                return;
            }
            try {
                run(job);
            } finally {
                queue.done(job);
            }
        }
    }

    private void run(Job job) {
        long kept = 0;
        try {
            kept = job.cancelRequested() ? endCancelled(job) : execute(job);
        } finally {
            jobs.finished(job.id(), kept);
        }
    }

    /** Records a cancelled job's end and destroys anything it computed; keeps nothing. */
    private long endCancelled(Job job) {
        try {
            sealed.delete(job.scenario(), job.id());
            sealed.deleteHeld(job.scenario(), job.id());
        } catch (IOException e) {
            LOG.warn("job {}: its result file could not be deleted ({})", job.id(), e.getClass().getName());
        }
        end(job, JobState.CANCELLED, ErrorCode.CANCELLED);
        job.publish(new JobEvent(job.id(), JobState.CANCELLED, 0, 0, "cancelled", ErrorCode.CANCELLED.name()));
        return 0;
    }

    private void end(Job job, JobState state, ErrorCode code) {
        JobRecord record = active.remove(job.id());
        if (record != null) {
            journal.write(record.ended(state, jobs.now().toString(), code.name()));
        }
    }

    /** Developers' jobs run in their own Spark fair-scheduler pool, so that they share executors too. */
    private String pool(Identity owner) {
        return "developer-" + gate.hash(ownerKey(owner)).substring(0, 16);
    }

    /** Who a job belongs to, for limits and turns: the certificate, not the name. */
    private static String ownerKey(Identity owner) {
        return owner.name() + "\n" + owner.certificateSerial();
    }

    /** Runs a job to its end; the size of the result it keeps, 0 when it released none. */
    private long execute(Job job) {
        long kept = 0;
        SparkSession spark = engine.originals();
        JobRecord record = active.get(job.id());
        if (record != null) {
            journal.write(record.running());
        }
        job.publish(new JobEvent(job.id(), JobState.RUNNING, 0, 0, "running on the originals", null));
        engine.progress().watch(job.id(), p -> job.publish(new JobEvent(job.id(), JobState.RUNNING,
                p.tasksDone(), p.tasksTotal(), "stage " + p.stagesSubmitted(), null)));
        spark.sparkContext().setLocalProperty("spark.scheduler.pool", pool(job.owner()));
        spark.sparkContext().setJobGroup(job.id(), "sandbox job", true);
        // what a DP release charged before a later refusal or failure: the charge is kept and the job's failure entry
        // says so
        Map<String, String> spentBeforeRefusal = new java.util.TreeMap<>();
        try {
            long rowCount;
            long bytes;
            String sha;
            Map<String, String> receiptDetails = new java.util.LinkedHashMap<>();
            requireInForce(job);
            verifyStored(job);
            if (job.dpQuery().isPresent()) {
                // noise, budget and cache inside the sandbox: the SQL's partials never leave
                DpReleases.Answer answer = dpReleases.release(job.scenario(), job.id(), job.dpQuery().get(), job.tables(),
                        spark::sql);
                byte[] ipc = answer.arrowIpc();
                rowCount = answer.rows();
                bytes = ipc.length;
                sha = HexFormat.of().formatHex(crypto.hash(ipc));
                receiptDetails.putAll(answer.ledgerDetails());
                if (answer.spent()) {
                    // never refunded from here on: the noisy answer exists (and is cached), a refund would let
                    // the same question be asked again for fresh noise
                    spentBeforeRefusal.put("budgetKept", "true");
                    spentBeforeRefusal.put("epsilonSpent", answer.ledgerDetails().get("epsilonSpent"));
                    spentBeforeRefusal.put("deltaSpent", answer.ledgerDetails().get("deltaSpent"));
                }
                verifyStored(job);
                requireInForce(job); // the term may have ended while it ran
                if (!job.beginRelease()) {
                    return endCancelled(job);
                }
                sealed.write(job.scenario(), job.id(), ipc);
            } else {
                // streamed as Spark yields rows into the job's held file, never collected: released by a rename
                Written written = stream(job, spark.sql(job.sql()));
                rowCount = written.rows();
                bytes = written.bytes();
                sha = written.sha();
                verifyStored(job); // a file gone while Spark listed the table: its answer is not the table's
                if (review != null && job.review() != null && !job.cancelRequested()) {
                    var request = review.check(reviewOutput(job, heldSource(job), sha, rowCount), spark::sql);
                    verifyStored(job); // the review's analysis read the originals too
                    if (request.isPresent()) {
                        return hold(job, request.get()); // an approval checks again (releaseApproved)
                    }
                }
                requireInForce(job); // the term may have ended while it ran
                if (!job.beginRelease()) {
                    return endCancelled(job);
                }
                if (!sealed.releaseHeld(job.scenario(), job.id())) {
                    throw new IOException("the streamed result is missing");
                }
            }
            receiptDetails.put("scenario", job.scenario());
            receiptDetails.put("sqlHash", job.sqlHash());
            receiptDetails.put("resultSha", sha);
            receiptDetails.put("rows", Long.toString(rowCount));
            LedgerEntry receipt = ledger.append(job.owner(), "job.released", job.id(), receiptDetails);
            job.release(new ReleasedResult(job.id(), rowCount, sha, receipt.sequence(), bytes));
            JobRecord queued = active.remove(job.id());
            if (queued != null) {
                journal.write(queued.released(jobs.now().toString(), rowCount, sha, receipt.sequence()));
            }
            kept = bytes;
            job.publish(new JobEvent(job.id(), JobState.RELEASED, 0, 0,
                    "released " + rowCount + (job.dpQuery().isPresent() ? " noisy rows" : " aggregated rows"), null));
        } catch (SandboxException e) {
            discardStreamed(job);
            if (job.cancelRequested()) {
                return endCancelled(job);
            }
            Map<String, String> failed = new java.util.TreeMap<>(Map.of("code", e.code().name()));
            if (e.details().containsKey("reason")) {
                failed.put("reason", e.details().get("reason"));
            }
            failed.putAll(spentBeforeRefusal);
            ledger.append(job.owner(), "job.failed", job.id(), failed);
            end(job, JobState.FAILED, e.code());
            job.publish(new JobEvent(job.id(), JobState.FAILED, 0, 0, e.getMessage(), e.code().name(),
                    hints.of(job.columnsRead(), e.code())));
        } catch (Exception | LinkageError e) {
            // Exception, not RuntimeException: Scala code throws checked SparkExceptions undeclared.
            discardStreamed(job);
            if (job.cancelRequested()) {
                return endCancelled(job);
            }
            SandboxException failure = failure(job.owner(), job.id(), e, spentBeforeRefusal);
            end(job, JobState.FAILED, failure.code());
            job.publish(new JobEvent(job.id(), JobState.FAILED, 0, 0, failure.getMessage(), failure.code().name(),
                    hints.of(job.columnsRead(), failure.code())));
        } finally {
            spark.sparkContext().clearJobGroup();
            spark.sparkContext().setLocalProperty("spark.scheduler.pool", null);
            engine.progress().unwatch(job.id());
        }
        return kept;
    }

    /**
     * A job's output leaves only while its scenario is in force: checked when it starts and again just before its
     * output leaves, because a term (or an admin) may end the authorization while it waits or runs. The refusal names
     * the scenario, never a value; not knowing the scenario (no policies connected) refuses too.
     */
    private void requireInForce(Job job) {
        java.util.function.Function<String, java.util.Optional<org.datasandbox.core.policy.ScenarioPolicy>> known = scenarios;
        java.util.Optional<org.datasandbox.core.policy.ScenarioPolicy> scenario = known == null
                ? java.util.Optional.empty() : known.apply(job.scenario());
        if (scenario.filter(scenarioInForce).isEmpty()) {
            Map<String, String> details = new java.util.TreeMap<>(Map.of("scenario", job.scenario()));
            scenario.map(org.datasandbox.core.policy.ScenarioPolicy::expires)
                    .ifPresent(expires -> details.put("expires", expires.toString()));
            throw new SandboxException(ErrorCode.SCENARIO_EXPIRED, "Scenario '" + job.scenario() + "' is no longer in "
                    + "force (its term or authorization has ended): job " + job.id() + " releases nothing", details);
        }
    }

    /**
     * Fails a job whose tables' stored files are not those the sandbox wrote (a file deleted, truncated or added):
     * Spark would read what it finds and the job would release a wrong answer. The developer learns which table,
     * never which file or how.
     */
    private void verifyStored(Job job) {
        for (String table : job.tables()) {
            stored.verify(table);
        }
    }

    /** A job's output as streamed into sealed storage: rows, hash and size of its Arrow IPC. */
    private record Written(long rows, String sha, long bytes) {
    }

    /**
     * Streams a job's output into its held file as Spark yields it (an extract for review partition after partition
     * in the query's order, {@code toLocalIterator}: one partition on the driver at a time), as Arrow batches through a bounded allocator
     * ({@link ArrowResultWriter}), hashed and counted on the way. The cap is {@code maxExtractRows} for outputs that
     * go to review (review mode), else {@code maxResultRows} (they may leave automatically): one row more stops the
     * reading, and the partial file is deleted, as on a failure or a cancel; only a whole stream is committed.
     */
    private Written stream(Job job, Dataset<Row> frame) throws IOException {
        boolean forReview = review != null && job.review() != null && policy(job).everyOutput();
        long cap = forReview ? config.maxExtractRows() : config.maxResultRows();
        try (org.datasandbox.core.release.SealedResults.ResultWriter out = sealed.heldWriter(job.scenario(), job.id())) {
            ResultStream sink = new ResultStream(out, crypto.newDigest());
            // An output that may leave automatically is capped at maxResultRows, small: one Spark job collects it
            // (toLocalIterator would run one job per partition, a fixed cost on every aggregate). An extract for
            // review may be millions of rows: partition after partition, never whole on the driver.
            java.util.Iterator<Row> rows = forReview ? frame.toLocalIterator()
                    : frame.limit(Math.toIntExact(Math.min(cap + 1, Integer.MAX_VALUE))).collectAsList().iterator();
            ArrowResultWriter.Written written = ArrowResultWriter.write(frame.schema(), rows,
                    Map.of(), sink, cap, ArrowResultWriter.DEFAULT_ALLOCATOR_LIMIT, job::cancelRequested);
            out.commit();
            LOG.debug("job {}: {} rows streamed to sealed storage, writer peak {} bytes", job.id(), written.rows(),
                    written.peakAllocatedBytes());
            return new Written(written.rows(), sink.sha(), sink.bytes());
        } catch (ArrowResultWriter.TooManyRows e) {
            throw new SandboxException(ErrorCode.TOO_LARGE, forReview
                    ? "The output for review has more than " + cap + " rows (the extract limit)"
                    : "The result has more than " + cap + " rows");
        } catch (ArrowResultWriter.Stopped e) {
            throw new SandboxException(ErrorCode.CANCELLED, "cancelled");
        }
    }

    /** A job's held output, read anew each time from sealed storage. */
    private org.datasandbox.core.review.OutputSource heldSource(Job job) {
        return () -> sealed.heldReader(job.scenario(), job.id())
                .orElseThrow(() -> new java.nio.file.NoSuchFileException("held output of " + job.id()));
    }

    /** A run that ends without holding or releasing leaves nothing of its output. */
    private void discardStreamed(Job job) {
        try {
            sealed.deleteHeld(job.scenario(), job.id());
        } catch (IOException e) {
            LOG.warn("job {}: its streamed output could not be deleted ({})", job.id(), e.getClass().getName());
        }
    }

    private org.datasandbox.core.policy.ReviewPolicy policy(Job job) {
        java.util.function.Function<String, java.util.Optional<org.datasandbox.core.policy.ScenarioPolicy>> known = scenarios;
        return known == null ? org.datasandbox.core.policy.ReviewPolicy.DEFAULT
                : known.apply(job.scenario()).map(org.datasandbox.core.policy.ScenarioPolicy::review)
                .orElse(org.datasandbox.core.policy.ReviewPolicy.DEFAULT);
    }

    /**
     * Connects the release review: threshold and review-mode outputs pass it before they leave.
     *
     * @param policies the scenario policy of an id (its review settings)
     * @param inForce whether a scenario is still in force: an approval arriving after its term or authorization
     *        ended releases nothing
     */
    public void review(org.datasandbox.core.review.ReleaseReview releaseReview,
                       java.util.function.Function<String, java.util.Optional<org.datasandbox.core.policy.ScenarioPolicy>> policies,
                       java.util.function.Predicate<org.datasandbox.core.policy.ScenarioPolicy> inForce) {
        this.scenarios = java.util.Objects.requireNonNull(policies, "policies");
        this.scenarioInForce = java.util.Objects.requireNonNull(inForce, "inForce");
        this.review = java.util.Objects.requireNonNull(releaseReview, "releaseReview");
        releaseReview.desk().onOutcome(new org.datasandbox.core.review.ReviewDesk.Outcomes() {
            @Override
            public void approved(org.datasandbox.core.review.ReleaseRequest request) {
                releaseApproved(request);
            }

            @Override
            public void rejected(org.datasandbox.core.review.ReleaseRequest request) {
                endHeld(request.jobId(), "rejected by a reviewer (release request " + request.id() + ")");
            }

            @Override
            public void superseded(String jobId, org.datasandbox.core.review.ReleaseRequest request) {
                endHeld(jobId, "replaced by the output of job " + request.jobId() + " (release request " + request.id() + ")");
            }
        });
    }

    private org.datasandbox.core.review.ReleaseReview.Output reviewOutput(
            Job job, org.datasandbox.core.review.OutputSource output, String sha, long rows) {
        org.datasandbox.core.policy.ReviewPolicy policy = policy(job);
        Job.ReviewContext context = job.review();
        return new org.datasandbox.core.review.ReleaseReview.Output(job.id(), job.owner(), job.scenario(),
                context.scenario(), policy, context.submittedSql(), job.sql(), job.sqlHash(), context.outputColumns(),
                output, sha, rows, job.tables());
    }

    /**
     * Ends a run whose output is held: nothing leaves; the journal keeps it held (the desk has kept the request and
     * the output before), so that a restart keeps it for the reviewers.
     */
    private long hold(Job job, org.datasandbox.core.review.ReleaseRequest request) {
        JobRecord record = active.remove(job.id());
        if (record != null) {
            JobRecord heldRecord = record.held(jobs.now().toString());
            journal.write(heldRecord);
            held.put(job.id(), heldRecord);
        }
        ledger.append(job.owner(), "job.held", job.id(), Map.of("request", request.id(), "reason", request.reason().name()));
        job.publish(new JobEvent(job.id(), JobState.HELD, 0, 0, "held for review as release request " + request.id()
                + " (" + request.reason().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ")",
                ErrorCode.AWAITING_REVIEW.name()));
        return 0;
    }

    /**
     * Releases an approved output as any other release: the held file becomes the result file (a rename, whatever
     * its size), the receipt, the journal.
     */
    private void releaseApproved(org.datasandbox.core.review.ReleaseRequest request) {
        Job job = jobs.get(request.jobId()).orElse(null);
        if (job == null) {
            LOG.warn("job {}: approved after it was forgotten; nothing released", request.jobId());
            return;
        }
        if (!held.containsKey(job.id())) { // ended already (a restart interrupted it, or an outcome was delivered)
            LOG.warn("job {}: approved when no longer held; nothing released", job.id());
            return;
        }
        // Approval is a vote, not an authorization: the output leaves only while the scenario is still in force.
        if (scenarios.apply(job.scenario()).filter(scenarioInForce).isEmpty()) {
            endHeld(job.id(), "approved after its scenario's term or authorization ended: nothing released");
            return;
        }
        long bytes;
        try {
            if (!sealed.releaseHeld(job.scenario(), job.id())) {
                LOG.warn("job {}: approved, but its held output is no longer kept", job.id());
                endHeld(job.id(), "approved when no longer kept: nothing released");
                return;
            }
            bytes = Files.size(sealed.file(job.scenario(), job.id()));
        } catch (IOException e) {
            LOG.warn("job {}: the approved result could not be written ({})", job.id(), e.getClass().getName());
            endHeld(job.id(), "the approved output could not be stored");
            return;
        }
        Map<String, String> details = new java.util.LinkedHashMap<>();
        details.put("scenario", job.scenario());
        details.put("sqlHash", job.sqlHash());
        details.put("resultSha", request.resultSha());
        details.put("rows", Long.toString(request.rows()));
        details.put("request", request.id());
        LedgerEntry receipt = ledger.append(job.owner(), "job.released", job.id(), details);
        job.release(new ReleasedResult(job.id(), request.rows(), request.resultSha(), receipt.sequence(), bytes));
        JobRecord record = held.remove(job.id());
        if (record != null) {
            journal.write(record.released(jobs.now().toString(), request.rows(), request.resultSha(), receipt.sequence()));
        }
        review.released(job.scenario(), job.id());
        job.publish(new JobEvent(job.id(), JobState.RELEASED, 0, 0, "released " + request.rows()
                + " aggregated rows after review (release request " + request.id() + ")", null));
    }

    /** A held output that will never leave. */
    private void endHeld(String jobId, String why) {
        review.dropped(jobId);
        JobRecord record = held.remove(jobId);
        if (record == null) {
            return; // not held (any more): its outcome is recorded already
        }
        journal.write(record.ended(JobState.FAILED, jobs.now().toString(), ErrorCode.REJECTED.name()));
        Job job = jobs.get(jobId).orElse(null);
        if (job != null) {
            ledger.append(job.owner(), "job.failed", jobId, Map.of("code", ErrorCode.REJECTED.name()));
            job.publish(new JobEvent(jobId, JobState.FAILED, 0, 0, "the output was " + why, ErrorCode.REJECTED.name()));
        }
    }

    /**
     * A failure while running: the caller gets a fixed message and a reference; the log and the ledger get
     * the exception class only, because Spark messages can quote data values.
     */
    private SandboxException failure(Identity owner, String subject, Throwable e) {
        return failure(owner, subject, e, Map.of());
    }

    /** @param kept what a DP release charged before the failure (kept, as after a refusal), for the failure entry */
    private SandboxException failure(Identity owner, String subject, Throwable e, Map<String, String> kept) {
        String reference = SecureRandoms.hex(4);
        LOG.warn("job {} failed on the originals: {} (reference {})", subject, e.getClass().getName(), reference);
        Map<String, String> failed = new java.util.TreeMap<>(Map.of("code", ErrorCode.EXECUTION_FAILED.name(),
                "errorClass", e.getClass().getName(), "reference", reference));
        failed.putAll(kept);
        ledger.append(owner, "job.failed", subject, failed);
        return new SandboxException(ErrorCode.EXECUTION_FAILED,
                "The job failed while running inside the sandbox (reference " + reference + ")",
                Map.of("reference", reference));
    }

    /**
     * What the review console shows of a job the sandbox still remembers: owner, scenario, state and the SQL as the
     * guard rewrote it (the text as submitted is never kept, only its hash in the ledger). Callers check roles.
     */
    public record Overview(String id, String owner, String scenario, JobState state, String rewrittenSql) {
    }

    public java.util.Optional<Overview> overview(String jobId) {
        return jobs.get(jobId).map(job -> new Overview(job.id(), job.owner().name(), job.scenario(), job.state(),
                job.sql()));
    }

    private Job owned(Identity developer, String jobId) {
        Job job = jobs.get(jobId).orElse(null);
        // the owner is the certificate, not the name: two people may share a name
        if (job == null || !job.owner().name().equals(developer.name())
                || !job.owner().certificateSerial().equals(developer.certificateSerial())) {
            throw SandboxException.notFound("job '" + jobId + "'");
        }
        return job;
    }

    /**
     * Stops starting jobs and lets the running ones end (30 seconds at most). Jobs still queued stay in the
     * journal; the next start closes them with a recorded outcome.
     */
    @Override
    public void close() {
        queue.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try {
            for (Thread worker : workers) {
                worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.forEach(Thread::interrupt);
    }

    /** Claims job ids from {@code claimed} from now on (the metadata store shared by several servers). */
    public void claimIdsFrom(JobIds claimed) {
        this.ids = java.util.Objects.requireNonNull(claimed, "claimed");
    }

    /** A random id that no other job has, here or on a server sharing the metadata. */
    private String newJobId() {
        for (int attempt = 0; attempt < 8; attempt++) {
            String jobId = "job-" + SecureRandoms.hex(6);
            if (ids.claim(jobId)) {
                return jobId;
            }
        }
        throw new IllegalStateException("no free job id after 8 random draws");
    }

    /**
     * A job's released result opened from sealed storage, for reading batch by batch (Flight, FetchResult): the
     * same checks and the same {@code result.fetched} entry as {@link #result}, but nothing of the result is read
     * before the caller reads it.
     */
    public OpenedResult openResult(Identity developer, String jobId) {
        Job job = owned(developer, jobId);
        ReleasedResult result = released(job);
        java.io.InputStream in;
        long bytes;
        try {
            in = sealed.reader(job.scenario(), jobId).orElse(null);
            bytes = in == null ? -1 : Files.size(sealed.file(job.scenario(), jobId));
        } catch (IOException e) {
            throw unreadable(jobId, e);
        }
        if (in == null) {
            LOG.warn("job {}: its released result has no sealed file", jobId);
            throw new SandboxException(ErrorCode.INTERNAL, "job " + jobId + "'s stored result is missing");
        }
        ledger.append(developer, "result.fetched", jobId, Map.of("resultSha", result.sha()));
        return new OpenedResult(jobId, result.rows(), result.sha(), result.ledgerSequence(), bytes,
                new IntegrityCheckedStream(in, jobId));
    }

    private static SandboxException unreadable(String jobId, IOException e) {
        LOG.warn("job {}: its stored result does not open ({})", jobId, e.getClass().getName());
        String why = e instanceof org.datasandbox.core.release.SealedChunks.DamagedException ? e.getMessage()
                : "the stored result does not open";
        return new SandboxException(ErrorCode.INTERNAL, "job " + jobId + "'s stored result failed its integrity "
                + "check; nothing more of it is sent (" + why + ")");
    }

    /** The sealed stream, whose damage becomes a {@link SandboxException} naming the job and the chunk only. */
    private static final class IntegrityCheckedStream extends java.io.FilterInputStream {
        private final String jobId;

        IntegrityCheckedStream(java.io.InputStream in, String jobId) {
            super(in);
            this.jobId = jobId;
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                throw unreadable(jobId, e);
            }
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            try {
                return super.read(bytes, offset, length);
            } catch (IOException e) {
                throw unreadable(jobId, e);
            }
        }
    }
}
