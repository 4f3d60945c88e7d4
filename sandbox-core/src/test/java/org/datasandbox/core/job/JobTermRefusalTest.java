package org.datasandbox.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.TestSandbox;
import org.datasandbox.core.config.SandboxConfig;
import org.datasandbox.core.identity.Identity;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.ledger.LedgerEntry;
import org.datasandbox.dp.accounting.BudgetStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules of a job whose scenario's term ends (the oracle is the clock alone: the job workers see a day past the
 * term, from their first reading or only from their second):
 * <ul>
 *   <li>ended before the job starts: refused at start with {@code SCENARIO_EXPIRED}; nothing runs on the originals
 *       (no Spark job in the job's group; a threshold job has no later check before its run) and a DP job charges
 *       no budget;</li>
 *   <li>ended while it ran: refused before its output leaves, and the budget stays spent (the noisy answer exists;
 *       a refund would let the question be asked again for fresh noise); the job's failure entry says so, and
 *       matches the {@code budget.spent} entry of its charge;</li>
 *   <li>failing after its charge (its result cannot be written): the same, the budget stays spent and the failure
 *       entry says so.</li>
 * </ul>
 */
class JobTermRefusalTest {
    private static final String TABLE = "term_refusal_visits";
    private static final String SQL = "SELECT district, COUNT(*) AS n FROM " + TABLE + " GROUP BY district";
    private static final Duration PAST_THE_TERM = Duration.ofDays(11);
    private static final String DP_OUTPUT =
            "output: {mode: dp, epsilon: 0.5, delta: 1.0e-6, max_groups_per_unit: 1, max_rows_per_group: 1}\n"
                    + "budget: {epsilon: 10, delta: 1.0e-5}";

    @TempDir
    static Path dataDir;
    private static final WorkerClock CLOCK = new WorkerClock();
    private static Sandbox sandbox;
    /** The job group of every Spark job started: a sandbox job's id (JobManager sets it on its worker). */
    private static final java.util.Set<String> SPARK_JOB_GROUPS = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final SparkListener GROUPS_LISTENER = new SparkListener() {
        @Override
        public void onJobStart(SparkListenerJobStart start) {
            String group = start.properties() == null ? null
                    : start.properties().getProperty("spark.jobGroup.id"); // SparkContext.SPARK_JOB_GROUP_ID
            if (group != null) {
                SPARK_JOB_GROUPS.add(group);
            }
        }
    };

    @BeforeAll
    static void open() throws Exception {
        TestSandbox.get(); // the test JVM's one SparkSession
        SparkContext.getOrCreate().addSparkListener(GROUPS_LISTENER);
        sandbox = Sandbox.open(SandboxConfig.embedded(dataDir), CLOCK);
        sandbox.applyPolicy(TestSandbox.as(Role.ADMIN), "kind: table-policy\ntable: " + TABLE + "\n"
                + "output: {mode: threshold, k: 5}\ncolumns:\n  - {name: person_id, role: privacy_unit, mask: pseudonym}\n"
                + "  - {name: district, role: dimension}\n");
        StringBuilder csv = new StringBuilder("person_id,district\n");
        for (int id = 1; id <= 60; id++) {
            csv.append(id).append(',').append(id % 2 == 0 ? "east" : "west").append('\n');
        }
        sandbox.registerDataset(TestSandbox.as(Role.PROVIDER), TABLE, "", csv.toString().getBytes(StandardCharsets.UTF_8),
                Map.of());
    }

    @AfterAll
    static void close() {
        SparkContext.getOrCreate().removeSparkListener(GROUPS_LISTENER);
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void jobs_termEndedBeforeTheyStart_refusedAtStart_runNothingOnTheOriginals_andChargeNothing() throws Exception {
        // threshold: only the job's start check stands between it and a run on the originals
        assertRefusedAtStart(scenario("term-refusal-start", "output: {mode: threshold, k: 5}"));
        // DP: the release checks the term again before its charge; nothing may be charged either way
        String dp = scenario("term-refusal-start-dp", DP_OUTPUT);
        List<String> before = spent(dp);
        String job = assertRefusedAtStart(dp);
        assertThat(spent(dp)).as("the budget spent").isEqualTo(before);
        assertThat(entries(job, "budget.spent")).isEmpty();
    }

    private static String assertRefusedAtStart(String scenario) throws Exception {
        CLOCK.advanceOnJobWorkers(PAST_THE_TERM, 0);
        String job = sandbox.submitJob(TestSandbox.as(Role.DEVELOPER), scenario, SQL).jobId();
        JobEvent last = end(job);

        assertThat(last.state()).as(last.toString()).isEqualTo(JobState.FAILED);
        assertThat(last.errorCode()).isEqualTo("SCENARIO_EXPIRED");
        assertThat(last.message()).contains("'" + scenario + "'").doesNotContain("east").doesNotContain("west");
        assertThat(SPARK_JOB_GROUPS).as("Spark jobs run for it").doesNotContain(job);
        assertThat(entries(job, "job.failed")).singleElement().satisfies(e -> assertThat(e.details())
                .containsEntry("code", "SCENARIO_EXPIRED").doesNotContainKey("budgetKept"));
        assertThat(entries(job, "job.released")).isEmpty();
        return job;
    }

    @Test
    void dpJob_termEndedWhileItRan_refusedAtRelease_keepsItsBudgetSpent_andTheLedgerSaysSo() throws Exception {
        String scenario = scenario("term-refusal-release", DP_OUTPUT);
        List<String> before = spent(scenario);
        // the worker reads the clock at the job's start check, at the DP release's own check before its charge, then
        // just before the output leaves: in force for the first two, over for the third
        CLOCK.advanceOnJobWorkers(PAST_THE_TERM, 2);

        String job = sandbox.submitJob(TestSandbox.as(Role.DEVELOPER), scenario, SQL).jobId();
        JobEvent last = end(job);

        assertThat(last.state()).as(last.toString()).isEqualTo(JobState.FAILED);
        assertThat(last.errorCode()).isEqualTo("SCENARIO_EXPIRED");
        assertThat(spent(scenario)).as("the budget spent").isNotEqualTo(before);
        assertThat(SPARK_JOB_GROUPS).as("Spark jobs run for it").contains(job);
        LedgerEntry charge = entries(job, "budget.spent").stream().findFirst().orElseThrow();
        assertThat(entries(job, "job.failed")).singleElement().satisfies(e -> assertThat(e.details())
                .containsEntry("code", "SCENARIO_EXPIRED").containsEntry("budgetKept", "true")
                .containsEntry("epsilonSpent", charge.details().get("epsilon")));
        assertThat(entries(job, "job.released")).isEmpty();
    }

    @Test
    void dpJob_failingAfterItsCharge_keepsItsBudgetSpent_andTheLedgerSaysSo() throws Exception {
        String scenario = scenario("term-refusal-failure", DP_OUTPUT);
        Identity developer = TestSandbox.as(Role.DEVELOPER);
        // a first job makes the scenario's results folder; a plain file in its place fails the next job's write, an
        // I/O failure after its charge (not a refusal)
        Path results = dataDir.resolve("results");
        Set<Path> foldersBefore = folders(results);
        assertThat(end(sandbox.submitJob(developer, scenario, SQL).jobId()).state()).isEqualTo(JobState.RELEASED);
        Set<Path> made = new HashSet<>(folders(results));
        made.removeAll(foldersBefore);
        assertThat(made).as("the scenario's results folder").hasSize(1);
        Path folder = made.iterator().next();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
        Files.writeString(folder, "not a folder");
        List<String> before = spent(scenario);

        String job = sandbox.submitJob(developer, scenario, SQL.replace(" GROUP BY", " WHERE district <> 'north' GROUP BY"))
                .jobId();
        JobEvent last = end(job);

        assertThat(last.state()).as(last.toString()).isEqualTo(JobState.FAILED);
        assertThat(last.errorCode()).isEqualTo("EXECUTION_FAILED");
        assertThat(spent(scenario)).as("the budget spent").isNotEqualTo(before);
        LedgerEntry charge = entries(job, "budget.spent").stream().findFirst().orElseThrow();
        assertThat(entries(job, "job.failed")).singleElement().satisfies(e -> assertThat(e.details())
                .containsEntry("code", "EXECUTION_FAILED").containsEntry("budgetKept", "true")
                .containsEntry("epsilonSpent", charge.details().get("epsilon")));
        Files.delete(folder);
    }

    private static Set<Path> folders(Path dir) throws java.io.IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory).collect(Collectors.toSet());
        }
    }

    /** A DP scenario of its own per test, ending in 10 days: the call that sees its end ends its authorization. */
    private static String scenario(String id, String output) {
        LocalDate expires = LocalDate.now(ZoneOffset.UTC).plusDays(10);
        sandbox.applyPolicy(TestSandbox.as(Role.ADMIN), "kind: scenario\nid: " + id + "\npurpose: terms of DP jobs\n"
                + "developers: [\"" + TestSandbox.as(Role.DEVELOPER).name() + "\"]\n"
                + output + "\ngrants: {" + TABLE + ": [\"*\"]}\nexpires: " + expires + "\n");
        return id;
    }

    /** Every account's spent epsilon and delta, as an admin's budget view shows them. */
    private static List<String> spent(String scenario) {
        return sandbox.budget(TestSandbox.as(Role.ADMIN), scenario).accounts().stream().map(BudgetStatus::spent)
                .map(Object::toString).toList();
    }

    /** The ledger entries of one action about a job (a charge refers to it as {@code dp-query:<job>}). */
    private static List<LedgerEntry> entries(String job, String action) throws java.io.IOException {
        return sandbox.ledger().entries().stream().filter(e -> e.action().equals(action))
                .filter(e -> e.subject().equals(job) || ("dp-query:" + job).equals(e.details().get("reference")))
                .toList();
    }

    private static JobEvent end(String job) throws Exception {
        CompletableFuture<JobEvent> end = new CompletableFuture<>();
        sandbox.watchJob(TestSandbox.as(Role.DEVELOPER), job, e -> {
            if (e.state().isTerminal()) {
                end.complete(e);
            }
        });
        JobEvent last = end.get(120, TimeUnit.SECONDS);
        CLOCK.reset();
        return last;
    }

    /**
     * The system clock, moved forward as the job workers (threads {@code sandbox-job-*}) see it once they have read
     * it {@code readsBefore} times: a job submitted within its scenario's term that starts, or releases, after it.
     */
    private static final class WorkerClock extends Clock {
        private volatile Duration workerOffset = Duration.ZERO;
        private volatile int workerReadsBefore;
        private final AtomicInteger workerReads = new AtomicInteger();

        void advanceOnJobWorkers(Duration by, int readsBefore) {
            workerReads.set(0);
            workerReadsBefore = readsBefore;
            workerOffset = by;
        }

        void reset() {
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
            Instant now = Instant.now();
            if (!workerOffset.isZero() && Thread.currentThread().getName().startsWith("sandbox-job-")
                    && workerReads.incrementAndGet() > workerReadsBefore) {
                return now.plus(workerOffset);
            }
            return now;
        }
    }
}
