package org.datasandbox.core.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.datasandbox.core.ErrorCode;
import org.datasandbox.core.SandboxException;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.identity.Identity;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.ledger.EvidenceLedger;
import org.datasandbox.core.ledger.LedgerEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A desk restarted over what the last one kept: the oracle is the desk that never stopped. Whatever was held,
 * voted or decided before a restart is so after it; kept state that disagrees with the signed ledger stops the
 * start instead of being dropped or approved.
 */
class ReviewDeskRestartTest {
    private static final CryptoProfile CRYPTO = CryptoProfile.of(CryptoProfile.Kind.SM);
    private static final Identity DEVELOPER = new Identity("Wang Fang", Role.DEVELOPER, "d1");
    private static final Identity LIU = new Identity("Liu Yang", Role.REVIEWER, "r1");
    private static final Identity ZHAO = new Identity("Zhao Min", Role.REVIEWER, "r2");
    private static final byte[] OUTPUT = {7, 1, 2, 3, 42};

    @TempDir
    Path dir;
    private EvidenceLedger ledger;
    private final KeptReviewStore store = new KeptReviewStore();
    private final List<String> events = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        ledger = EvidenceLedger.open(dir.resolve("ledger"), CRYPTO);
    }

    /** A desk as a start makes it: over the kept store and the ledger, connected to the job path. */
    private byte[] heldOutput(ReleaseRequest request) {
        return store.output(request.scenario(), request.jobId()).orElse(new byte[0]);
    }

    private ReviewDesk start() throws Exception {
        ReviewDesk desk = new ReviewDesk(ledger, CRYPTO, Clock.systemUTC(), store, "review");
        desk.onOutcome(new ReviewDesk.Outcomes() {
            @Override
            public void approved(ReleaseRequest request) { // the held output is still kept when the job path is told
                events.add("approved " + request.jobId() + " " + java.util.Arrays.toString(heldOutput(request)));
            }

            @Override
            public void rejected(ReleaseRequest request) {
                events.add("rejected " + request.jobId());
            }

            @Override
            public void superseded(String jobId, ReleaseRequest request) {
                events.add("superseded " + jobId);
            }
        });
        desk.resumeDecided();
        return desk;
    }

    private static HeldOutput held(String job, String sql) {
        DisclosureReport report = new DisclosureReport(DisclosureSettings.defaults(10), false, "not analysed",
                List.of(), List.of(), 0, List.of(), List.of());
        return new HeldOutput(job, "s1", DEVELOPER, HoldReason.REVIEW_MODE, sql, sql, "h-" + sql, "sha-" + job, 5,
                OUTPUT, report, 2);
    }

    private static ReviewDecision approve(String id) {
        return new ReviewDecision(id, ReviewDecision.Verdict.APPROVE, "district totals only");
    }

    @Test
    void decide_heldAndVotedOnceBeforeRestart_secondVoteAfterRestartReleasesTheSameBytes() throws Exception {
        ReleaseRequest request = start().hold(held("job-1", "SELECT a"));
        start().decide(LIU, approve(request.id()));

        ReviewDesk restarted = start();
        assertThat(restarted.get(LIU, request.id()).votes()).extracting(ReviewVote::reviewer).containsExactly("Liu Yang");
        assertThat(restarted.result(ZHAO, request.id())).containsExactly(OUTPUT);
        assertThatThrownBy(() -> restarted.decide(LIU, approve(request.id())))
                .isInstanceOfSatisfying(SandboxException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_EXISTS));
        assertThat(restarted.decide(ZHAO, approve(request.id())).status()).isEqualTo(ReleaseStatus.APPROVED);
        assertThat(events).containsExactly("approved job-1 " + java.util.Arrays.toString(OUTPUT));
        assertThat(store.outputs).as("the held copy goes once released").isEmpty();
        assertThat(start().get(LIU, request.id()).status()).isEqualTo(ReleaseStatus.APPROVED);
    }

    @Test
    void decide_rejectedBeforeRestart_staysRejected() throws Exception {
        ReleaseRequest request = start().hold(held("job-2", "SELECT b"));
        start().decide(LIU, new ReviewDecision(request.id(), ReviewDecision.Verdict.REJECT, "one ward is one person"));
        events.clear();

        ReviewDesk restarted = start();
        assertThat(restarted.get(ZHAO, request.id()).status()).isEqualTo(ReleaseStatus.REJECTED);
        assertThatThrownBy(() -> restarted.decide(ZHAO, approve(request.id())))
                .isInstanceOfSatisfying(SandboxException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_READY));
        assertThatThrownBy(() -> restarted.result(ZHAO, request.id()))
                .isInstanceOfSatisfying(SandboxException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_READY));
        assertThat(events).isEmpty();
    }

    @Test
    void start_requestRolledBackToBeforeARejection_refused() throws Exception {
        ReleaseRequest pending = start().hold(held("job-3", "SELECT c"));
        start().decide(LIU, new ReviewDecision(pending.id(), ReviewDecision.Verdict.REJECT, "no"));
        store.requests.put(pending.id(), pending); // an older copy of the file put back

        assertThatThrownBy(this::start).isInstanceOf(ReviewStateException.class)
                .hasMessageContaining(pending.id()).hasMessageContaining("does not agree with the evidence ledger")
                .hasMessageNotContaining("SELECT c");
    }

    @Test
    void start_pendingRequestDeleted_refusedNotDropped() throws Exception {
        ReleaseRequest pending = start().hold(held("job-4", "SELECT d"));
        store.requests.clear();

        assertThatThrownBy(this::start).isInstanceOf(ReviewStateException.class)
                .hasMessageContaining(pending.id()).hasMessageContaining("missing from review");
    }

    @Test
    void start_voteKeptButNotRecorded_voteUndoneAndRecorded() throws Exception {
        ReviewDesk desk = start();
        ReleaseRequest pending = desk.hold(held("job-5", "SELECT e"));
        ReleaseRequest approvedByBoth = desk.decide(LIU, approve(pending.id()));
        // a stop between the kept file and the ledger: the file has a vote the ledger lacks
        ReleaseRequest ahead = approvedByBoth.with(List.of(approvedByBoth.votes().get(0), new ReviewVote("Zhao Min",
                "r2", ReviewDecision.Verdict.APPROVE, "fine", approvedByBoth.updatedAt(), approvedByBoth.resultSha())),
                ReleaseStatus.APPROVED, approvedByBoth.updatedAt());
        store.save(ahead);

        ReviewDesk restarted = start();
        assertThat(restarted.get(LIU, pending.id()).status()).isEqualTo(ReleaseStatus.PENDING);
        assertThat(restarted.get(LIU, pending.id()).votes()).hasSize(1);
        assertThat(events).as("nothing released by an unrecorded vote").isEmpty();
        assertThat(ledger.entries()).filteredOn(e -> e.action().equals("release.vote.undone"))
                .extracting(LedgerEntry::subject).containsExactly(pending.id());
        assertThat(start().get(LIU, pending.id()).votes()).as("the undo is itself consistent").hasSize(1);
    }

    @Test
    void start_requestKeptButNeverRecorded_discardedAndRecorded() throws Exception {
        start();
        ReleaseRequest unrecorded = new ReleaseRequest("rr-0badc0de", "job-6", "s1", "Wang Fang", "d1",
                HoldReason.REVIEW_MODE, "SELECT f", "SELECT f", "h", "sha", 1, held("job-6", "x").report(), 1,
                List.of(), ReleaseStatus.PENDING, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z");
        store.save(unrecorded);
        store.saveOutput("s1", "job-6", OUTPUT);

        ReviewDesk restarted = start();
        assertThatThrownBy(() -> restarted.get(LIU, unrecorded.id())).isInstanceOf(SandboxException.class);
        assertThat(store.requests).isEmpty();
        assertThat(store.outputs).isEmpty();
        assertThat(ledger.entries()).extracting(LedgerEntry::action).contains("release.discarded");
    }

    @Test
    void start_approvalRecordedButStoppedBeforeRelease_releasedOnStart() throws Exception {
        ReviewDesk desk = new ReviewDesk(ledger, CRYPTO, Clock.systemUTC(), store, "review"); // no job path: a stop
        ReleaseRequest pending = desk.hold(new HeldOutput("job-7", "s1", DEVELOPER, HoldReason.REVIEW_MODE, "q", "q",
                "h", "sha-7", 1, OUTPUT, held("job-7", "q").report(), 1));
        desk.decide(LIU, approve(pending.id()));
        store.saveOutput("s1", "job-7", OUTPUT); // the held copy was still there when it stopped

        start();
        assertThat(events).containsExactly("approved job-7 " + java.util.Arrays.toString(OUTPUT));
        assertThat(store.outputs).isEmpty();
        assertThat(ledger.entries()).filteredOn(e -> e.action().equals("release.vote")).hasSize(1);
        assertThat(Map.copyOf(store.requests)).containsKey(pending.id());
    }
}
