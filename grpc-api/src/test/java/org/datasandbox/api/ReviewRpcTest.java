package org.datasandbox.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.datasandbox.api.client.SandboxClient;
import org.datasandbox.api.v1.JobEvent;
import org.datasandbox.api.v1.JobState;
import org.datasandbox.api.v1.ReleaseRequestDetail;
import org.datasandbox.api.v1.ReleaseRequestSummary;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.ledger.LedgerEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Release review over the real TLS server: a review-mode scenario holds every output until two distinct reviewers
 * approve it, the requester can never decide their own request, a rejection is final, and a threshold scenario holds
 * a release that differences an earlier one. Each table here is granted by one scenario only (the shared fixture's
 * other tests find one scenario per table).
 */
class ReviewRpcTest {
    private static final String REVIEW_SCENARIO = "staff-review";
    private static final String THRESHOLD_SCENARIO = "clinic-study";
    /** The one income that dominates ward A: it must never appear in the ledger. */
    private static final long DOMINANT_INCOME = 9_876_543;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static GrpcFixture fixture;
    private static SandboxClient zhao;
    private static SandboxClient wangAsReviewer;
    private static final Map<String, Integer> WARD_PEOPLE = new TreeMap<>();

    @BeforeAll
    static void start() throws Exception {
        fixture = GrpcFixture.get();
        StringBuilder staff = new StringBuilder("person_id,ward,income\n");
        String[] wards = {"A", "B", "C", "D"};
        int[] sizes = {20, 20, 20, 3};
        int id = 1;
        for (int w = 0; w < wards.length; w++) {
            for (int i = 0; i < sizes[w]; i++) {
                long income = id == 1 ? DOMINANT_INCOME : 1_000 + 37L * id;
                staff.append(id++).append(',').append(wards[w]).append(',').append(income).append('\n');
            }
            WARD_PEOPLE.put(wards[w], sizes[w]);
        }
        StringBuilder clinic = new StringBuilder("person_id,age\n");
        for (int p = 1; p <= 40; p++) {
            clinic.append(p).append(',').append(p <= 2 ? 85 : 20 + p).append('\n'); // two people aged 85
        }
        SandboxClient provider = fixture.client(Role.PROVIDER);
        provider.registerDataset("staff", "", staff.toString().getBytes(StandardCharsets.UTF_8), Map.of());
        provider.registerDataset("clinic", "", clinic.toString().getBytes(StandardCharsets.UTF_8), Map.of());
        SandboxClient admin = fixture.client(Role.ADMIN);
        admin.applyPolicy("kind: table-policy\ntable: staff\none_row_per_unit: true\ncolumns:\n"
                + "  - {name: person_id, role: privacy_unit}\n  - {name: ward, role: dimension}\n"
                + "  - {name: income, role: measure, bounds: [0, 10000000]}\n");
        admin.applyPolicy("kind: table-policy\ntable: clinic\none_row_per_unit: true\ncolumns:\n"
                + "  - {name: person_id, role: privacy_unit}\n  - {name: age, role: dimension}\n");
        admin.applyPolicy("kind: scenario\nid: " + REVIEW_SCENARIO + "\npurpose: ward pay review\n"
                + "developers: [\"Wang Fang\"]\noutput: {mode: review, k: 10, reviewers: 2}\ngrants: {staff: [\"*\"]}\n");
        admin.applyPolicy("kind: scenario\nid: " + THRESHOLD_SCENARIO + "\npurpose: clinic counts\n"
                + "developers: [\"Wang Fang\"]\noutput: {mode: threshold, k: 10}\ngrants: {clinic: [\"*\"]}\n");
        zhao = client("Zhao Min", Role.REVIEWER);
        wangAsReviewer = client("Wang Fang", Role.REVIEWER);
    }

    @AfterAll
    static void stop() {
        zhao.close();
        wangAsReviewer.close();
    }

    private static SandboxClient client(String name, Role role) throws Exception {
        Path dir = Files.createTempDirectory("reviewer");
        fixture.caTool().issueClient(name, role, dir.resolve("c.crt"), dir.resolve("c.key"));
        return new SandboxClient("localhost", fixture.server.port(), SandboxClient.credentials(
                fixture.sandbox.authority().layout().caCertificate(), dir.resolve("c.crt"), dir.resolve("c.key")));
    }

    private static StatusRuntimeException refusal(Runnable call) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
        assertThat(e).as("the call was refused").isNotNull();
        return e;
    }

    /** Submits and watches a job to its end of run. */
    private static JobEvent run(String scenario, String sql, String[] jobId) {
        SandboxClient developer = fixture.client(Role.DEVELOPER);
        jobId[0] = developer.submitJob(scenario, sql).getJobId();
        return developer.watchJob(jobId[0], e -> { });
    }

    private static ReleaseRequestSummary requestOf(String jobId) {
        return fixture.client(Role.REVIEWER).listReleaseRequests("").getRequestsList().stream()
                .filter(r -> r.getJobId().equals(jobId)).findFirst().orElseThrow();
    }

    @Test
    void reviewMode_outputHeldUntilTwoDistinctReviewersApprove_thenFetchable() throws Exception {
        String sql = "SELECT ward, COUNT(*) AS people, SUM(income) AS pay FROM staff GROUP BY ward";
        String[] job = new String[1];
        JobEvent end = run(REVIEW_SCENARIO, sql, job);
        assertThat(end.getState()).isEqualTo(JobState.HELD);
        assertThat(end.getErrorCode()).isEqualTo("AWAITING_REVIEW");

        StatusRuntimeException held = refusal(() -> fixture.client(Role.DEVELOPER).fetchResult(job[0]));
        assertThat(held.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(ErrorDetails.of(held).getReason()).isEqualTo("AWAITING_REVIEW");

        ReleaseRequestSummary summary = requestOf(job[0]);
        assertThat(summary.getReason()).isEqualTo("REVIEW_MODE");
        assertThat(summary.getRequiredApprovals()).isEqualTo(2);
        ReleaseRequestDetail detail = fixture.client(Role.REVIEWER).getReleaseRequest(summary.getId());
        assertThat(detail.getSubmittedSql()).isEqualTo(sql);
        assertThat(detail.getRewrittenSql()).contains("__privacy_units").isNotEqualTo(sql);
        // the report, against the table as generated: units per ward, ward D (3 people) suppressed, ward A dominated
        JsonNode report = JSON.readTree(detail.getReportJson());
        assertThat(report.get("analysed").asBoolean()).isTrue();
        assertThat(report.get("suppressedCells").asInt()).isEqualTo(1);
        Map<String, Long> units = new HashMap<>();
        Map<String, Boolean> dominated = new HashMap<>();
        for (JsonNode cell : report.get("cells")) {
            String ward = cell.get("keys").get("ward").asText();
            units.put(ward, cell.get("units").asLong());
            dominated.put(ward, cell.get("dominance").get(0).get("nkRule").asBoolean());
        }
        assertThat(units).containsExactlyInAnyOrderEntriesOf(Map.of("A", 20L, "B", 20L, "C", 20L));
        assertThat(dominated).containsExactlyInAnyOrderEntriesOf(Map.of("A", true, "B", false, "C", false));
        assertThat(detail.getReportJson()).doesNotContain(Long.toString(DOMINANT_INCOME));

        assertThat(fixture.client(Role.REVIEWER).decideRelease(summary.getId(), "APPROVE", "ward totals only")
                .getStatus()).isEqualTo("PENDING");
        assertThat(refusal(() -> fixture.client(Role.DEVELOPER).fetchResult(job[0])).getStatus().getCode())
                .isEqualTo(Status.Code.FAILED_PRECONDITION);
        StatusRuntimeException twice = refusal(() -> fixture.client(Role.REVIEWER).decideRelease(summary.getId(),
                "APPROVE", "again"));
        assertThat(twice.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
        assertThat(zhao.decideRelease(summary.getId(), "APPROVE", "checked the dominance flag").getStatus())
                .isEqualTo("APPROVED");

        SandboxClient.Result result = fixture.client(Role.DEVELOPER).fetchResult(job[0]);
        Map<String, Long> released = new TreeMap<>();
        for (Map<String, Object> row : result.table().records()) {
            released.put((String) row.get("ward"), ((Number) row.get("people")).longValue());
        }
        assertThat(released).isEqualTo(Map.of("A", 20L, "B", 20L, "C", 20L));
        assertThat(result.receipt().getSha()).isEqualTo(summary.getResultSha());
        List<LedgerEntry> entries = fixture.sandbox.ledger().entries();
        assertThat(entries).filteredOn(e -> e.subject().equals(summary.getId())).extracting(LedgerEntry::action)
                .containsSubsequence("release.held", "release.vote", "release.vote");
        assertThat(entries).anyMatch(e -> e.action().equals("job.released") && e.subject().equals(job[0])
                && summary.getId().equals(e.details().get("request")));
        for (Path file : Files.list(fixture.dataDir.resolve("ledger")).toList()) {
            if (Files.isRegularFile(file)) {
                assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
                        .doesNotContain(Long.toString(DOMINANT_INCOME)).doesNotContain("ward totals only");
            }
        }
    }

    @Test
    void approve_afterTheScenarioWasTerminated_releasesNothing() throws Exception {
        fixture.client(Role.ADMIN).applyPolicy("kind: scenario\nid: review-ending\npurpose: ward pay, ending\n"
                + "developers: [\"Wang Fang\"]\noutput: {mode: review, k: 10, reviewers: 1}\ngrants: {staff: [\"*\"]}\n");
        String[] job = new String[1];
        assertThat(run("review-ending", "SELECT ward, COUNT(*) AS n FROM staff GROUP BY ward", job).getState())
                .isEqualTo(JobState.HELD);
        ReleaseRequestSummary summary = requestOf(job[0]);
        fixture.client(Role.ADMIN).terminateScenario("review-ending", "the project was cancelled");

        // the vote may be refused or counted; either way nothing leaves once the authorization has ended
        catchThrowable(() -> zhao.decideRelease(summary.getId(), "APPROVE", "looked fine before the end"));
        StatusRuntimeException fetch = refusal(() -> fixture.client(Role.DEVELOPER).fetchResult(job[0]));
        assertThat(fetch.getStatus().getCode()).isIn(Status.Code.FAILED_PRECONDITION, Status.Code.PERMISSION_DENIED,
                Status.Code.NOT_FOUND);
        try { // the end of the authorization may forget the job altogether
            assertThat(fixture.client(Role.DEVELOPER).watchJob(job[0], e -> { }).getState()).isNotEqualTo(JobState.RELEASED);
        } catch (StatusRuntimeException forgotten) {
            assertThat(forgotten.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        }
        assertThat(fixture.sandbox.ledger().entries())
                .noneMatch(e -> e.action().equals("job.released") && e.subject().equals(job[0]));
    }

    @Test
    void decide_requesterHoldingTheReviewerRole_isRefused() {
        String[] job = new String[1];
        run(REVIEW_SCENARIO, "SELECT ward, COUNT(*) AS n FROM staff WHERE income > 0 GROUP BY ward", job);
        ReleaseRequestSummary summary = requestOf(job[0]);
        StatusRuntimeException own = refusal(() -> wangAsReviewer.decideRelease(summary.getId(), "APPROVE", "mine"));
        assertThat(own.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(ErrorDetails.of(own).getReason()).isEqualTo("PERMISSION_DENIED");
        assertThat(requestOf(job[0]).getApprovals()).isZero();
        StatusRuntimeException noReason = refusal(() -> zhao.decideRelease(summary.getId(), "APPROVE", " "));
        assertThat(noReason.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void reject_isFinal_andTheOutputCanNeverBeFetched() {
        String[] job = new String[1];
        run(REVIEW_SCENARIO, "SELECT ward, AVG(income) AS mean_pay FROM staff GROUP BY ward", job);
        ReleaseRequestSummary summary = requestOf(job[0]);
        assertThat(fixture.client(Role.REVIEWER).decideRelease(summary.getId(), "REJECT", "ward A is one person's pay")
                .getStatus()).isEqualTo("REJECTED");
        StatusRuntimeException fetch = refusal(() -> fixture.client(Role.DEVELOPER).fetchResult(job[0]));
        assertThat(fetch.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(ErrorDetails.of(fetch).getReason()).isEqualTo("REJECTED");
        assertThat(refusal(() -> zhao.decideRelease(summary.getId(), "APPROVE", "too late")).getStatus().getCode())
                .isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(fixture.client(Role.DEVELOPER).watchJob(job[0], e -> { }).getErrorCode()).isEqualTo("REJECTED");
        // an admin reads the queue, but cannot decide
        assertThat(fixture.client(Role.ADMIN).listReleaseRequests("REJECTED").getRequestsList())
                .extracting(ReleaseRequestSummary::getId).contains(summary.getId());
        assertThat(refusal(() -> fixture.client(Role.ADMIN).decideRelease(summary.getId(), "APPROVE", "x"))
                .getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    }

    @Test
    void rerun_sameOutput_keepsTheRequestAndItsVotes() {
        String sql = "SELECT ward, COUNT(*) AS n FROM staff WHERE ward <> 'D' GROUP BY ward";
        String[] first = new String[1];
        run(REVIEW_SCENARIO, sql, first);
        ReleaseRequestSummary summary = requestOf(first[0]);
        fixture.client(Role.REVIEWER).decideRelease(summary.getId(), "APPROVE", "counts of large wards");
        String[] second = new String[1];
        JobEvent end = run(REVIEW_SCENARIO, sql, second);
        assertThat(end.getState()).isEqualTo(JobState.HELD);
        ReleaseRequestSummary again = requestOf(second[0]);
        assertThat(again.getId()).isEqualTo(summary.getId());
        assertThat(again.getApprovals()).as("the same output hash keeps its votes").isEqualTo(1);
        assertThat(fixture.client(Role.DEVELOPER).watchJob(first[0], e -> { }).getErrorCode()).isEqualTo("REJECTED");
    }

    private static String[] cli(String[] out, String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--port";
        all[args.length + 1] = Integer.toString(fixture.server.port());
        all[args.length + 2] = "--data-dir";
        all[args.length + 3] = fixture.dataDir.toString();
        java.io.PrintStream stdout = System.out;
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            int code = new picocli.CommandLine(new org.datasandbox.api.cli.SandboxCli()).execute(all);
            out[0] = bytes.toString(StandardCharsets.UTF_8);
            return new String[] {Integer.toString(code)};
        } finally {
            System.setOut(stdout);
        }
    }

    @Test
    void cli_jobWatchExitsTwo_reviewListShowApprove() {
        String[] job = new String[1];
        run(REVIEW_SCENARIO, "SELECT ward, COUNT(*) AS n FROM staff WHERE income < 5000000 GROUP BY ward", job);
        String[] out = new String[1];
        assertThat(cli(out, "job", "watch", job[0])[0]).isEqualTo("2");
        assertThat(out[0]).contains("held for review as release request rr-");
        String id = requestOf(job[0]).getId();
        assertThat(cli(out, "review", "list", "--status", "PENDING")[0]).isEqualTo("0");
        assertThat(out[0]).contains(id).contains("job " + job[0]);
        assertThat(cli(out, "review", "show", id)[0]).isEqualTo("0");
        assertThat(out[0]).contains("submitted SQL:  SELECT ward").contains("disclosure report:").contains("\"units\"")
                .contains("result (3 rows)");
        assertThat(cli(out, "review", "approve", id, "--reason", "counts of wards of 20")[0]).isEqualTo("0");
        assertThat(out[0]).contains(id).contains("PENDING").contains("1/2 approvals");
        assertThat(cli(out, "review", "reject", id)[0]).as("a reason is required").isNotEqualTo("0");
    }

    @Test
    void thresholdMode_releaseThatDifferencesAnEarlierOne_isHeldForReview() {
        String[] total = new String[1];
        assertThat(run(THRESHOLD_SCENARIO, "SELECT COUNT(*) AS n FROM clinic", total).getState())
                .isEqualTo(JobState.RELEASED);
        String[] younger = new String[1];
        JobEvent end = run(THRESHOLD_SCENARIO, "SELECT COUNT(*) AS n FROM clinic WHERE age < 80", younger);
        assertThat(end.getState()).as("the two people aged 85 are the difference").isEqualTo(JobState.HELD);
        assertThat(end.getErrorCode()).isEqualTo("AWAITING_REVIEW");
        ReleaseRequestSummary summary = requestOf(younger[0]);
        assertThat(summary.getReason()).isEqualTo("POSSIBLE_DIFFERENCE");
        assertThat(summary.getRequiredApprovals()).isEqualTo(1);
        String[] older = new String[1];
        assertThat(run(THRESHOLD_SCENARIO, "SELECT COUNT(*) AS n FROM clinic WHERE age < 50", older).getState())
                .as("13 people apart from the total: at least k (10, the table's)").isEqualTo(JobState.RELEASED);
    }
}
