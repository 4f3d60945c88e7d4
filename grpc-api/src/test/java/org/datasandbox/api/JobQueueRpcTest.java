package org.datasandbox.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.datasandbox.api.client.SandboxClient;
import org.datasandbox.api.v1.CancelJobReply;
import org.datasandbox.api.v1.JobEvent;
import org.datasandbox.api.v1.JobState;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.ledger.LedgerEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fair queues, per-developer limits and CancelJob over the real TLS server: a greedy developer and a
 * patient one, each with their own certificate, in a scenario of their own.
 */
class JobQueueRpcTest {
    private static final String SCENARIO = "queue-study";
    private static final String SQL = "SELECT district, COUNT(*) AS n FROM residents GROUP BY district";
    private static final String SLOW_SQL = "SELECT r.district, COUNT(*) AS n FROM residents r JOIN medical_visits v"
            + " ON r.person_id = v.person_id GROUP BY r.district";
    private static GrpcFixture fixture;
    private static SandboxClient greedy;
    private static SandboxClient patient;

    @BeforeAll
    static void start() throws Exception {
        fixture = GrpcFixture.get();
        greedy = developer("Qian Duo");
        patient = developer("Sun Deng");
        fixture.client(Role.ADMIN).applyPolicy("kind: scenario\nid: " + SCENARIO + "\npurpose: fair queues\n"
                + "developers: [\"Qian Duo\", \"Sun Deng\"]\noutput: {mode: threshold, k: 10}\n"
                + "grants:\n  residents: [\"*\"]\n  medical_visits: [\"*\"]\n");
    }

    @AfterAll
    static void stop() {
        greedy.close();
        patient.close();
    }

    private static SandboxClient developer(String name) throws Exception {
        Path dir = Files.createTempDirectory("developer");
        fixture.caTool().issueClient(name, Role.DEVELOPER, dir.resolve("c.crt"), dir.resolve("c.key"));
        return new SandboxClient("localhost", fixture.server.port(), SandboxClient.credentials(
                fixture.sandbox.authority().layout().caCertificate(), dir.resolve("c.crt"), dir.resolve("c.key")));
    }

    private static StatusRuntimeException refusal(Runnable call) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
        assertThat(e).as("the call was refused").isNotNull();
        return e;
    }

    /** Cancels whatever of these jobs has not ended; how many it cancelled. */
    private static int cancelAll(SandboxClient owner, List<String> jobs) {
        int cancelled = 0;
        for (String job : jobs) {
            try {
                owner.cancelJob(job);
                cancelled++;
            } catch (StatusRuntimeException e) {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            }
        }
        return cancelled;
    }

    private static long sequenceOf(String action, String job) throws Exception {
        return fixture.sandbox.ledger().entries().stream().filter(e -> e.action().equals(action) && e.subject().equals(job))
                .mapToLong(LedgerEntry::sequence).findFirst().orElse(Long.MAX_VALUE);
    }

    @Test
    void submitJob_greedyDeveloperAtTheLimit_isRefusedNamingItAndAnotherDevelopersJobStartsNext() throws Exception {
        List<String> backlog = new ArrayList<>();
        StatusRuntimeException refused = null;
        try {
            for (int i = 0; i < 40 && refused == null; i++) {
                try {
                    backlog.add(greedy.submitJob(SCENARIO, SQL).getJobId());
                } catch (StatusRuntimeException e) {
                    refused = e;
                }
            }
            assertThat(refused).as("the 40th job at the latest is refused").isNotNull();
            assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            ErrorInfo info = ErrorDetails.of(refused);
            assertThat(info.getReason()).isEqualTo("TOO_MANY_JOBS");
            assertThat(info.getMetadataMap()).containsEntry("limit", "maxQueuedPerDeveloper").containsEntry("value", "16");
            assertThat(backlog).hasSizeGreaterThanOrEqualTo(16); // 16 waiting, and what ended meanwhile

            String mine = patient.submitJob(SCENARIO, SQL).getJobId();
            JobEvent last = patient.watchJob(mine, e -> { });
            assertThat(last.getState()).isEqualTo(JobState.RELEASED);
            long submitted = sequenceOf("job.submitted", mine);
            long released = sequenceOf("job.released", mine);
            long greedyBefore = 0;
            for (String job : backlog) {
                long greedyReleased = sequenceOf("job.released", job);
                greedyBefore += greedyReleased > submitted && greedyReleased < released ? 1 : 0;
            }
            // round robin: at most the greedy job running when it came, and the one started beside it
            assertThat(greedyBefore).as("greedy jobs released while the patient developer's waited").isLessThanOrEqualTo(3);
        } finally {
            assertThat(cancelAll(greedy, backlog)).as("queued greedy jobs cancelled").isPositive();
        }
        String cancelled = backlog.get(backlog.size() - 1);
        assertThat(greedy.watchJob(cancelled, e -> { }).getState()).isEqualTo(JobState.CANCELLED);
        assertThat(refusal(() -> greedy.fetchResult(cancelled)).getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    }

    @Test
    void cancelJob_byRole_ownerAndAdminMayOthersSeeNothing() throws Exception {
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            jobs.add(greedy.submitJob(SCENARIO, SQL).getJobId());
        }
        String queued = jobs.get(2);
        try {
            StatusRuntimeException other = refusal(() -> patient.cancelJob(queued));
            assertThat(other.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
            assertThat(refusal(() -> fixture.client(Role.AUDITOR).cancelJob(queued)).getStatus().getCode())
                    .isEqualTo(Status.Code.PERMISSION_DENIED);

            CancelJobReply reply = fixture.client(Role.ADMIN).cancelJob(queued);
            assertThat(reply.getWas()).isIn(JobState.QUEUED, JobState.RUNNING);
            assertThat(greedy.watchJob(queued, e -> { }).getState()).isEqualTo(JobState.CANCELLED);
            assertThat(fixture.sandbox.ledger().entries()).filteredOn(e -> e.action().equals("job.cancelled")
                    && e.subject().equals(queued)).singleElement().satisfies(e -> assertThat(e.role()).isEqualTo("admin"));
            assertThat(refusal(() -> fixture.client(Role.ADMIN).cancelJob(queued)).getStatus().getCode())
                    .isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(refusal(() -> fixture.client(Role.ADMIN).cancelJob("job-nothing")).getStatus().getCode())
                    .isEqualTo(Status.Code.NOT_FOUND);
        } finally {
            cancelAll(greedy, jobs);
        }
    }

    @Test
    void cancelJob_running_cancelsItsSparkJobsAndKeepsNothing() throws Exception {
        boolean cancelledWhileRunning = false;
        for (int attempt = 0; attempt < 5 && !cancelledWhileRunning; attempt++) {
            String job = patient.submitJob(SCENARIO, SLOW_SQL).getJobId();
            AtomicReference<CancelJobReply> reply = new AtomicReference<>();
            JobEvent last = patient.watchJob(job, event -> {
                if (event.getState() == JobState.RUNNING && reply.get() == null) {
                    try {
                        reply.set(patient.cancelJob(job));
                    } catch (StatusRuntimeException e) {
                        reply.set(CancelJobReply.getDefaultInstance()); // released first: try again
                    }
                }
            });
            if (reply.get() != null && reply.get().getWas() == JobState.RUNNING) {
                cancelledWhileRunning = true;
                assertThat(last.getState()).isEqualTo(JobState.CANCELLED);
                assertThat(last.getErrorCode()).isEqualTo("CANCELLED");
                assertThat(refusal(() -> patient.fetchResult(job)).getStatus().getCode())
                        .isEqualTo(Status.Code.FAILED_PRECONDITION);
                try (var kept = java.nio.file.Files.walk(fixture.dataDir.resolve("results"))) { // sealed or in clear
                    assertThat(kept.map(f -> f.getFileName().toString())).doesNotContain(job + ".sealed", job + ".arrow");
                }
                Set<String> actions = Set.copyOf(fixture.sandbox.ledger().entries().stream()
                        .filter(e -> e.subject().equals(job)).map(LedgerEntry::action).toList());
                assertThat(actions).contains("job.cancelled").doesNotContain("job.released", "job.failed");
            }
        }
        assertThat(cancelledWhileRunning).as("a running job was cancelled in one of 5 tries").isTrue();
    }
}
