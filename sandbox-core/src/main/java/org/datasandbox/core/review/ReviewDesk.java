package org.datasandbox.core.review;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.datasandbox.core.ErrorCode;
import org.datasandbox.core.SandboxException;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.crypto.SecureRandoms;
import org.datasandbox.core.identity.Access;
import org.datasandbox.core.identity.Identity;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.ledger.EvidenceLedger;

/**
 * The queue of release requests and the one place where they are decided. Reviewers list, read and decide;
 * admins list and read. The rules: a decision needs a reason; the requester never decides their own request
 * (by real name, whatever role their certificate holds); a request needing two approvals needs two reviewers of
 * different names; a rejection is final; a re-run of the same query by the same requester while the request is
 * pending replaces its output, and a different output (another hash) clears the votes. Every step is in the
 * ledger with hashes and counts, never the SQL, a reason's text or a value. Thread-safe.
 *
 * <p>Requests live in memory: a restart forgets pending ones, and their jobs' outputs are never released
 * (deny by default); the ledger keeps what happened.
 */
public final class ReviewDesk {
    /** What happens to a job when its request is decided; the job path implements it. */
    public interface Outcomes {
        /** The output of {@code request.jobId()} may now be fetched. */
        void approved(ReleaseRequest request, byte[] arrowIpc);

        /** The output of {@code request.jobId()} can never be fetched. */
        void rejected(ReleaseRequest request);

        /** A re-run replaced the output of {@code jobId}: it can never be fetched. */
        void superseded(String jobId, ReleaseRequest request);
    }

    private static final Outcomes NONE = new Outcomes() {
        @Override
        public void approved(ReleaseRequest request, byte[] arrowIpc) {
        }

        @Override
        public void rejected(ReleaseRequest request) {
        }

        @Override
        public void superseded(String jobId, ReleaseRequest request) {
        }
    };

    private final EvidenceLedger ledger;
    private final CryptoProfile crypto;
    private final Clock clock;
    private final Map<String, ReleaseRequest> requests = new LinkedHashMap<>();
    private final Map<String, byte[]> outputs = new java.util.HashMap<>();
    private volatile Outcomes outcomes = NONE;

    public ReviewDesk(EvidenceLedger ledger, CryptoProfile crypto, Clock clock) {
        this.ledger = java.util.Objects.requireNonNull(ledger, "ledger");
        this.crypto = java.util.Objects.requireNonNull(crypto, "crypto");
        this.clock = java.util.Objects.requireNonNull(clock, "clock");
    }

    /** Connects the job path; set once when the sandbox opens. */
    public void onOutcome(Outcomes outcomes) {
        this.outcomes = java.util.Objects.requireNonNull(outcomes, "outcomes");
    }

    /**
     * Holds an output: a new request, or, when the same requester's request for the same query and scenario is
     * pending, its new output (votes cleared when the output differs).
     */
    public ReleaseRequest hold(HeldOutput output) {
        String now = clock.instant().toString();
        ReleaseRequest request;
        String superseded = null;
        synchronized (this) {
            Optional<ReleaseRequest> pending = requests.values().stream()
                    .filter(r -> r.status() == ReleaseStatus.PENDING && r.scenario().equals(output.scenario())
                            && r.sqlHash().equals(output.sqlHash()) && r.requester().equals(output.requester().name())
                            && r.requesterSerial().equals(output.requester().certificateSerial()))
                    .findFirst();
            if (pending.isPresent()) {
                ReleaseRequest before = pending.get();
                request = before.rerun(output.jobId(), output.rewrittenSql(), output.resultSha(), output.rows(),
                        output.report(), now);
                superseded = before.jobId();
                outputs.remove(before.jobId());
                ledger.append(output.requester(), "release.rerun", request.id(), Map.of("job", output.jobId(),
                        "supersedes", before.jobId(), "resultSha", output.resultSha(),
                        "votesReset", Boolean.toString(request.votes().size() < before.votes().size())));
            } else {
                request = new ReleaseRequest("rr-" + SecureRandoms.hex(6), output.jobId(), output.scenario(),
                        output.requester().name(), output.requester().certificateSerial(), output.reason(),
                        output.submittedSql(), output.rewrittenSql(), output.sqlHash(), output.resultSha(), output.rows(),
                        output.report(), output.requiredApprovals(), List.of(), ReleaseStatus.PENDING, now, now);
            }
            requests.put(request.id(), request);
            outputs.put(output.jobId(), output.arrowIpc().clone());
        }
        Map<String, String> details = new LinkedHashMap<>();
        details.put("job", output.jobId());
        details.put("scenario", output.scenario());
        details.put("reason", output.reason().name());
        details.put("sqlHash", output.sqlHash());
        details.put("resultSha", output.resultSha());
        details.put("rows", Long.toString(output.rows()));
        details.put("requiredApprovals", Integer.toString(output.requiredApprovals()));
        output.report().summary().forEach((key, value) -> details.put("report." + key, value));
        ledger.append(output.requester(), "release.held", request.id(), details);
        if (superseded != null && !superseded.equals(output.jobId())) {
            outcomes.superseded(superseded, request);
        }
        return request;
    }

    /** The queue, newest first: every request, or only those with the given status. */
    public List<ReleaseRequest> list(Identity caller, Optional<ReleaseStatus> status) {
        Access.require(caller, Role.REVIEWER, Role.ADMIN);
        synchronized (this) {
            return requests.values().stream().filter(r -> status.isEmpty() || r.status() == status.get())
                    .sorted(Comparator.comparing(ReleaseRequest::createdAt).reversed()).toList();
        }
    }

    /** One request; not found for an unknown id. */
    public ReleaseRequest get(Identity caller, String requestId) {
        Access.require(caller, Role.REVIEWER, Role.ADMIN);
        return find(requestId);
    }

    /** The held output of a request, as it would be released (Arrow IPC), for the reviewer to read. */
    public byte[] result(Identity caller, String requestId) {
        Access.require(caller, Role.REVIEWER, Role.ADMIN);
        ReleaseRequest request = find(requestId);
        synchronized (this) {
            byte[] ipc = outputs.get(request.jobId());
            if (ipc == null) {
                throw new SandboxException(ErrorCode.NOT_READY, "release request " + requestId + " holds no output any more");
            }
            return ipc.clone();
        }
    }

    /** The request holding a job's output, if any. */
    public synchronized Optional<ReleaseRequest> forJob(String jobId) {
        return requests.values().stream().filter(r -> r.jobId().equals(jobId)).findFirst();
    }

    /**
     * Records a reviewer's decision: a rejection ends the request, an approval releases the output once enough
     * distinct reviewers approved it.
     *
     * @throws SandboxException {@code PERMISSION_DENIED} for the requester or a non-reviewer, {@code NOT_FOUND},
     *         {@code NOT_READY} for a decided request, {@code ALREADY_EXISTS} for a second vote of one reviewer
     */
    public ReleaseRequest decide(Identity reviewer, ReviewDecision decision) {
        Access.require(reviewer, Role.REVIEWER);
        ReleaseRequest decided;
        byte[] ipc;
        synchronized (this) {
            ReleaseRequest request = find(decision.requestId());
            if (request.requester().equals(reviewer.name())) {
                ledger.append(reviewer, "release.vote.refused", request.id(), Map.of("code", "OWN_REQUEST"));
                throw SandboxException.accessDenied("a requester never reviews their own release request");
            }
            if (request.status() != ReleaseStatus.PENDING) {
                throw new SandboxException(ErrorCode.NOT_READY, "release request " + request.id() + " is already "
                        + request.status().name().toLowerCase(java.util.Locale.ROOT));
            }
            if (request.votes().stream().anyMatch(v -> v.reviewer().equals(reviewer.name()))) {
                throw new SandboxException(ErrorCode.ALREADY_EXISTS, "you have already decided release request "
                        + request.id() + "; another reviewer must decide it");
            }
            String now = clock.instant().toString();
            List<ReviewVote> votes = new ArrayList<>(request.votes());
            votes.add(new ReviewVote(reviewer.name(), reviewer.certificateSerial(), decision.verdict(), decision.reason(),
                    now, request.resultSha()));
            long approvals = votes.stream().filter(v -> v.verdict() == ReviewDecision.Verdict.APPROVE).count();
            ReleaseStatus status = decision.verdict() == ReviewDecision.Verdict.REJECT ? ReleaseStatus.REJECTED
                    : approvals >= request.requiredApprovals() ? ReleaseStatus.APPROVED : ReleaseStatus.PENDING;
            decided = request.with(votes, status, now);
            requests.put(decided.id(), decided);
            ipc = status == ReleaseStatus.APPROVED ? outputs.get(decided.jobId()) : null;
            if (status == ReleaseStatus.REJECTED) {
                outputs.remove(decided.jobId());
            }
            ledger.append(reviewer, "release.vote", decided.id(), Map.of("job", decided.jobId(),
                    "verdict", decision.verdict().name(), "reasonHash", hash(decision.reason()),
                    "resultSha", decided.resultSha(), "approvals", Long.toString(approvals),
                    "requiredApprovals", Integer.toString(decided.requiredApprovals()),
                    "status", status.name()));
        }
        if (decided.status() == ReleaseStatus.APPROVED) {
            outcomes.approved(decided, ipc);
        } else if (decided.status() == ReleaseStatus.REJECTED) {
            outcomes.rejected(decided);
        }
        return decided;
    }

    private synchronized ReleaseRequest find(String requestId) {
        ReleaseRequest request = requestId == null ? null : requests.get(requestId);
        if (request == null) {
            throw SandboxException.notFound("release request '" + requestId + "'");
        }
        return request;
    }

    private String hash(String text) {
        return HexFormat.of().formatHex(crypto.hash(text.getBytes(StandardCharsets.UTF_8)));
    }
}
