package org.datasandbox.core.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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

class ReviewDeskTest {
    private static final Identity DEVELOPER = new Identity("Wang Fang", Role.DEVELOPER, "d1");
    private static final Identity LIU = new Identity("Liu Yang", Role.REVIEWER, "r1");
    private static final Identity ZHAO = new Identity("Zhao Min", Role.REVIEWER, "r2");
    private static final Identity ADMIN = new Identity("Li Na", Role.ADMIN, "a1");

    @TempDir
    Path dir;
    private EvidenceLedger ledger;
    private ReviewDesk desk;
    private final List<String> events = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        ledger = EvidenceLedger.open(dir.resolve("ledger"), CryptoProfile.of(CryptoProfile.Kind.SM));
        desk = new ReviewDesk(ledger, CryptoProfile.of(CryptoProfile.Kind.SM), Clock.systemUTC());
        desk.onOutcome(new ReviewDesk.Outcomes() {
            @Override
            public void approved(ReleaseRequest request) { // the held output is still kept when the job path is told
                events.add("approved " + request.jobId() + " " + desk.result(ZHAO, request.id()).length);
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
    }

    private static HeldOutput held(String job, String sha, int approvals) {
        DisclosureReport report = new DisclosureReport(DisclosureSettings.defaults(10), false, "not analysed",
                List.of(), List.of(), 0, List.of(), List.of());
        return new HeldOutput(job, "s1", DEVELOPER, HoldReason.REVIEW_MODE, "SELECT 1", "SELECT 1", "h", sha, 1,
                new byte[] {1, 2, 3}, report, approvals);
    }

    @Test
    void decide_oneApproval_releasesAndRecords() throws Exception {
        ReleaseRequest request = desk.hold(held("job-1", "aa", 1));
        ReleaseRequest decided = desk.decide(LIU, new ReviewDecision(request.id(), ReviewDecision.Verdict.APPROVE,
                "aggregates over districts only"));
        assertThat(decided.status()).isEqualTo(ReleaseStatus.APPROVED);
        assertThat(events).containsExactly("approved job-1 3");
        assertThat(ledger.entries()).extracting(LedgerEntry::action).contains("release.held", "release.vote");
        assertThat(ledger.entries().toString()).doesNotContain("aggregates over districts only");
    }

    @Test
    void decide_requesterHoldingReviewerRole_refused() {
        ReleaseRequest request = desk.hold(held("job-1", "aa", 1));
        Identity sameNameReviewer = new Identity("Wang Fang", Role.REVIEWER, "r9");
        assertThatThrownBy(() -> desk.decide(sameNameReviewer, new ReviewDecision(request.id(),
                ReviewDecision.Verdict.APPROVE, "mine")))
                .isInstanceOfSatisfying(SandboxException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED));
        assertThat(desk.get(ADMIN, request.id()).status()).isEqualTo(ReleaseStatus.PENDING);
    }

    @Test
    void decide_twoReviewersRequired_needsTwoDistinctNames() {
        ReleaseRequest request = desk.hold(held("job-1", "aa", 2));
        assertThat(desk.decide(LIU, new ReviewDecision(request.id(), ReviewDecision.Verdict.APPROVE, "ok")).status())
                .isEqualTo(ReleaseStatus.PENDING);
        Identity liuOtherCertificate = new Identity("Liu Yang", Role.REVIEWER, "r7");
        assertThatThrownBy(() -> desk.decide(liuOtherCertificate, new ReviewDecision(request.id(),
                ReviewDecision.Verdict.APPROVE, "ok again")))
                .isInstanceOfSatisfying(SandboxException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_EXISTS));
        assertThat(events).isEmpty();
        assertThat(desk.decide(ZHAO, new ReviewDecision(request.id(), ReviewDecision.Verdict.APPROVE, "ok")).status())
                .isEqualTo(ReleaseStatus.APPROVED);
        assertThat(events).containsExactly("approved job-1 3");
    }

    @Test
    void hold_rerunWithOtherOutput_resetsVotes() {
        ReleaseRequest request = desk.hold(held("job-1", "aa", 2));
        desk.decide(LIU, new ReviewDecision(request.id(), ReviewDecision.Verdict.APPROVE, "ok"));
        ReleaseRequest same = desk.hold(held("job-2", "aa", 2));
        assertThat(same.id()).isEqualTo(request.id());
        assertThat(same.votes()).hasSize(1);
        ReleaseRequest changed = desk.hold(held("job-3", "bb", 2));
        assertThat(changed.id()).isEqualTo(request.id());
        assertThat(changed.votes()).isEmpty();
        assertThat(changed.jobId()).isEqualTo("job-3");
        assertThat(events).containsExactly("superseded job-1", "superseded job-2");
        desk.decide(ZHAO, new ReviewDecision(request.id(), ReviewDecision.Verdict.APPROVE, "ok"));
        assertThat(desk.get(LIU, request.id()).status()).isEqualTo(ReleaseStatus.PENDING);
    }

    @Test
    void decide_rejected_isFinal() {
        ReleaseRequest request = desk.hold(held("job-1", "aa", 1));
        desk.decide(LIU, new ReviewDecision(request.id(), ReviewDecision.Verdict.REJECT, "a cell of two people"));
        assertThat(events).containsExactly("rejected job-1");
        assertThatThrownBy(() -> desk.decide(ZHAO, new ReviewDecision(request.id(), ReviewDecision.Verdict.APPROVE, "ok")))
                .isInstanceOfSatisfying(SandboxException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_READY));
        assertThatThrownBy(() -> desk.result(LIU, request.id())).isInstanceOf(SandboxException.class);
        assertThat(desk.list(ADMIN, Optional.of(ReleaseStatus.REJECTED))).hasSize(1);
        assertThat(desk.list(ADMIN, Optional.of(ReleaseStatus.PENDING))).isEmpty();
    }

    @Test
    void decide_withoutReason_refused() {
        assertThatThrownBy(() -> new ReviewDecision("rr-1", ReviewDecision.Verdict.APPROVE, "  "))
                .isInstanceOfSatisfying(SandboxException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    }

    @Test
    void listAndDecide_otherRoles_refused() {
        ReleaseRequest request = desk.hold(held("job-1", "aa", 1));
        assertThatThrownBy(() -> desk.list(DEVELOPER, Optional.empty())).isInstanceOf(SandboxException.class);
        assertThatThrownBy(() -> desk.decide(ADMIN, new ReviewDecision(request.id(), ReviewDecision.Verdict.APPROVE, "x")))
                .isInstanceOf(SandboxException.class);
        assertThat(desk.list(ADMIN, Optional.empty())).extracting(ReleaseRequest::id).containsExactly(request.id());
    }
}
