package org.datasandbox.core.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.datasandbox.core.ErrorCode;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.SandboxException;
import org.datasandbox.core.TestSandbox;
import org.datasandbox.core.config.SandboxConfig;
import org.datasandbox.core.identity.Identity;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.job.JobEvent;
import org.datasandbox.core.job.JobState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real restarts of a sandbox on one data directory with outputs held for review. The oracle is the sandbox that
 * never stopped: a vote cast before a restart counts after it, the output released after it is byte for byte the
 * one held before it, a rejection stays final, and the end of an authorization shreds held outputs with the rest.
 * Kept state that was altered stops the start (and the start leaves the directory free) or refuses the approval.
 */
class HeldOutputRestartTest {
    private static final String REVIEWED = "pay-review";
    private static final String ENDING = "pay-ending";
    private static final String BY_WARD = "SELECT ward, COUNT(*) AS people FROM staff GROUP BY ward";
    private static final String PAY_BY_WARD = "SELECT ward, SUM(income) AS pay FROM staff GROUP BY ward";
    private static final Identity DEVELOPER = TestSandbox.as(Role.DEVELOPER);
    private static final Identity ADMIN = TestSandbox.as(Role.ADMIN);
    private static final Identity LIU = new Identity("Liu Yang", Role.REVIEWER, "r-liu");
    private static final Identity ZHAO = new Identity("Zhao Min", Role.REVIEWER, "r-zhao");

    @TempDir
    Path dir;

    private Sandbox open() throws Exception {
        TestSandbox.get(); // the JVM's Spark context
        return Sandbox.open(SandboxConfig.embedded(dir).withSampleRows(50));
    }

    private static void setUp(Sandbox sandbox) {
        StringBuilder staff = new StringBuilder("person_id,ward,income\n");
        for (int id = 1; id <= 36; id++) {
            staff.append(id).append(',').append((char) ('A' + id % 3)).append(',').append(1_000 + 37 * id).append('\n');
        }
        sandbox.registerDataset(TestSandbox.as(Role.PROVIDER), "staff", "", staff.toString().getBytes(StandardCharsets.UTF_8),
                Map.of());
        sandbox.applyPolicy(ADMIN, "kind: table-policy\ntable: staff\none_row_per_unit: true\ncolumns:\n"
                + "  - {name: person_id, role: privacy_unit}\n  - {name: ward, role: dimension}\n"
                + "  - {name: income, role: measure, bounds: [0, 100000]}\n");
        for (String[] scenario : new String[][] {{REVIEWED, "2"}, {ENDING, "1"}}) {
            sandbox.applyPolicy(ADMIN, "kind: scenario\nid: " + scenario[0] + "\npurpose: ward pay\ndevelopers: [\""
                    + DEVELOPER.name() + "\"]\noutput: {mode: review, k: 5, reviewers: " + scenario[1]
                    + "}\ngrants: {staff: [\"*\"]}\n");
        }
    }

    /** Submits a job and waits for the end of its run. */
    private static String run(Sandbox sandbox, String scenario, String sql) throws Exception {
        String job = sandbox.submitJob(DEVELOPER, scenario, sql).jobId();
        assertThat(lastEvent(sandbox, job).state()).isEqualTo(JobState.HELD);
        return job;
    }

    private static JobEvent lastEvent(Sandbox sandbox, String job) throws Exception {
        CountDownLatch ended = new CountDownLatch(1);
        AtomicReference<JobEvent> last = new AtomicReference<>();
        sandbox.watchJob(DEVELOPER, job, event -> {
            last.set(event);
            if (event.state().isTerminal()) {
                ended.countDown();
            }
        });
        assertThat(ended.await(120, TimeUnit.SECONDS)).isTrue();
        return last.get();
    }

    private static ReleaseRequest requestOf(Sandbox sandbox, String job) {
        return sandbox.releaseRequests(LIU, Optional.empty()).stream().filter(r -> r.jobId().equals(job)).findFirst()
                .orElseThrow();
    }

    private static ReviewDecision decision(ReleaseRequest request, ReviewDecision.Verdict verdict) {
        return new ReviewDecision(request.id(), verdict, "ward totals of at least twelve people");
    }

    private static ErrorCode codeOf(Runnable call) {
        try {
            call.run();
        } catch (SandboxException e) {
            return e.code();
        }
        throw new AssertionError("the call was not refused");
    }

    @Test
    void open_heldVotedOnceThenRestarted_secondVoteReleasesTheOriginalBytesRejectionStaysAndEndShreds() throws Exception {
        String approvedJob;
        String rejectedJob;
        String endingJob;
        byte[] original;
        try (Sandbox first = open()) {
            setUp(first);
            approvedJob = run(first, REVIEWED, BY_WARD);
            rejectedJob = run(first, REVIEWED, PAY_BY_WARD);
            endingJob = run(first, ENDING, BY_WARD);
            ReleaseRequest approved = requestOf(first, approvedJob);
            original = first.releaseRequestResult(LIU, approved.id());
            assertThat(HexFormat.of().formatHex(first.crypto().hash(original))).isEqualTo(approved.resultSha());
            first.decideRelease(LIU, decision(approved, ReviewDecision.Verdict.APPROVE));
            first.decideRelease(LIU, decision(requestOf(first, rejectedJob), ReviewDecision.Verdict.REJECT));
        }

        try (Sandbox second = open()) {
            ReleaseRequest approved = requestOf(second, approvedJob);
            assertThat(approved.status()).isEqualTo(ReleaseStatus.PENDING);
            assertThat(approved.votes()).extracting(ReviewVote::reviewer).containsExactly(LIU.name());
            assertThat(lastEvent(second, approvedJob).state()).isEqualTo(JobState.HELD);
            assertThat(codeOf(() -> second.fetchResult(DEVELOPER, approvedJob))).isEqualTo(ErrorCode.AWAITING_REVIEW);
            assertThat(codeOf(() -> second.decideRelease(LIU, decision(approved, ReviewDecision.Verdict.APPROVE))))
                    .as("a vote cast before the restart counts after it").isEqualTo(ErrorCode.ALREADY_EXISTS);
            assertThat(second.releaseRequestResult(ZHAO, approved.id())).isEqualTo(original);

            assertThat(second.decideRelease(ZHAO, decision(approved, ReviewDecision.Verdict.APPROVE)).status())
                    .isEqualTo(ReleaseStatus.APPROVED);
            assertThat(second.fetchResult(DEVELOPER, approvedJob).arrowIpc()).isEqualTo(original);

            ReleaseRequest rejected = requestOf(second, rejectedJob);
            assertThat(rejected.status()).isEqualTo(ReleaseStatus.REJECTED);
            assertThat(codeOf(() -> second.fetchResult(DEVELOPER, rejectedJob))).isEqualTo(ErrorCode.REJECTED);
            assertThat(codeOf(() -> second.decideRelease(ZHAO, decision(rejected, ReviewDecision.Verdict.APPROVE))))
                    .isEqualTo(ErrorCode.NOT_READY);

            ReleaseRequest ending = requestOf(second, endingJob);
            var certificate = second.terminateScenario(ADMIN, ENDING, "study closed");
            assertThat(certificate.shreddedFiles()).anyMatch(f -> f.endsWith(endingJob + ".held.sealed"));
            assertThat(second.releaseRequests(LIU, Optional.empty())).extracting(ReleaseRequest::id)
                    .doesNotContain(ending.id());
            assertThat(second.verifyDeletion(TestSandbox.as(Role.AUDITOR), ENDING).destroyed()).isTrue();
        }

        try (Sandbox third = open()) {
            assertThat(third.fetchResult(DEVELOPER, approvedJob).arrowIpc()).isEqualTo(original);
            assertThat(requestOf(third, rejectedJob).status()).isEqualTo(ReleaseStatus.REJECTED);
            assertThat(third.releaseRequests(LIU, Optional.empty())).extracting(ReleaseRequest::jobId)
                    .doesNotContain(endingJob);
            try (Stream<Path> kept = Files.walk(dir.resolve("results"))) {
                assertThat(kept.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".held.sealed"));
            }
        }
    }

    @Test
    void open_keptRequestAltered_refusedUntilRestoredAndTheOutputAlteredRefusesApproval() throws Exception {
        String job;
        ReleaseRequest request;
        try (Sandbox first = open()) {
            setUp(first);
            job = run(first, REVIEWED, BY_WARD);
            request = requestOf(first, job);
        }
        Path file = dir.resolve("review").resolve(request.id() + ".json");
        byte[] kept = Files.readAllBytes(file);
        ObjectMapper json = new ObjectMapper();
        ObjectNode envelope = (ObjectNode) json.readTree(kept);
        byte[] sealed = Base64.getDecoder().decode(envelope.get("sealed").asText());
        sealed[sealed.length / 2] ^= 1;
        envelope.put("sealed", Base64.getEncoder().encodeToString(sealed));
        Files.write(file, json.writeValueAsBytes(envelope));

        assertThatThrownBy(this::open).isInstanceOf(ReviewStateException.class)
                .hasMessageContaining(request.id() + ".json").hasMessageContaining("does not open")
                .hasMessageNotContaining("staff").hasMessageNotContaining("SELECT");

        Files.write(file, kept); // restored from a backup: the refused start left the directory free
        try (Sandbox restored = open()) {
            assertThat(requestOf(restored, job).status()).isEqualTo(ReleaseStatus.PENDING);
            Path held;
            try (Stream<Path> files = Files.walk(dir.resolve("results"))) {
                held = files.filter(p -> p.getFileName().toString().equals(job + ".held.sealed")).findFirst().orElseThrow();
            }
            byte[] output = Files.readAllBytes(held);
            output[output.length - 1] ^= 1;
            Files.write(held, output);

            assertThat(codeOf(() -> restored.releaseRequestResult(LIU, request.id()))).isEqualTo(ErrorCode.INTERNAL);
            assertThat(codeOf(() -> restored.decideRelease(LIU, decision(request, ReviewDecision.Verdict.APPROVE))))
                    .isEqualTo(ErrorCode.INTERNAL);
            assertThat(requestOf(restored, job).votes()).as("no vote on an output that does not open").isEmpty();
            assertThat(codeOf(() -> restored.fetchResult(DEVELOPER, job))).isEqualTo(ErrorCode.AWAITING_REVIEW);
        }
        List<String> names;
        try (Stream<Path> files = Files.list(dir.resolve("review"))) {
            names = files.map(p -> p.getFileName().toString()).toList();
        }
        assertThat(names).containsExactly(request.id() + ".json");
    }
}
