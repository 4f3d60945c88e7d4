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
 * <p>Requests, their votes and the outputs they hold are kept in a {@link ReviewStore} (sealed on the data
 * directory, {@link FileReviewStore}), written before the ledger records each step: a restart loses neither a held
 * output nor a vote. On start the kept requests must agree with the ledger ({@link ReviewEvidence}): a request
 * rolled back, deleted or altered stops the start ({@link ReviewStateException}); only the step a stop broke off
 * between the file and the ledger is undone, and recorded.
 */
public final class ReviewDesk {
    /** What happens to a job when its request is decided; the job path implements it. */
    public interface Outcomes {
        /**
         * The output of {@code request.jobId()} may now be fetched: the job path releases the held output the store
         * keeps (it is dropped from the store afterwards).
         */
        void approved(ReleaseRequest request);

        /** The output of {@code request.jobId()} can never be fetched. */
        void rejected(ReleaseRequest request);

        /** A re-run replaced the output of {@code jobId}: it can never be fetched. */
        void superseded(String jobId, ReleaseRequest request);
    }

    private static final Outcomes NONE = new Outcomes() {
        @Override
        public void approved(ReleaseRequest request) {
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
    private final ReviewStore store;
    private volatile Outcomes outcomes = NONE;

    /** A desk that keeps its requests in memory only (a throw-away sandbox, tests). */
    public ReviewDesk(EvidenceLedger ledger, CryptoProfile crypto, Clock clock) {
        this.ledger = java.util.Objects.requireNonNull(ledger, "ledger");
        this.crypto = java.util.Objects.requireNonNull(crypto, "crypto");
        this.clock = java.util.Objects.requireNonNull(clock, "clock");
        this.store = ReviewStore.inMemory();
    }

    /**
     * A desk over the requests a store kept, checked against the ledger.
     *
     * @throws ReviewStateException when a kept request disagrees with the ledger, or one the ledger has pending
     *         (its job not ended, its scenario in force) is missing
     */
    public ReviewDesk(EvidenceLedger ledger, CryptoProfile crypto, Clock clock, ReviewStore store, String location)
            throws java.io.IOException {
        this.ledger = java.util.Objects.requireNonNull(ledger, "ledger");
        this.crypto = java.util.Objects.requireNonNull(crypto, "crypto");
        this.clock = java.util.Objects.requireNonNull(clock, "clock");
        this.store = java.util.Objects.requireNonNull(store, "store");
        ReviewEvidence evidence = ReviewEvidence.read(ledger);
        List<ReleaseRequest> kept = new ArrayList<>(store.requests());
        kept.sort(Comparator.comparing(ReleaseRequest::createdAt).thenComparing(ReleaseRequest::id));
        for (ReleaseRequest request : kept) {
            Optional<ReviewEvidence.Recorded> recorded = evidence.request(request.id());
            if (recorded.isEmpty()) { // kept, then stopped before the ledger recorded it: it never was
                store.deleteOutput(request.scenario(), request.jobId());
                store.delete(request);
                ledger.append(Identity.system(), "release.discarded", request.id(), Map.of("job", request.jobId(),
                        "reason", "kept but never recorded: the sandbox stopped in between"));
            } else if (recorded.get().agrees(request)) {
                requests.put(request.id(), request);
            } else if (!request.votes().isEmpty() && recorded.get().agrees(withoutLastVote(request))) {
                ReleaseRequest undone = withoutLastVote(request); // the reviewer votes again
                store.save(undone);
                requests.put(undone.id(), undone);
                ledger.append(Identity.system(), "release.vote.undone", undone.id(), Map.of("job", undone.jobId(),
                        "approvals", Long.toString(undone.approvals()),
                        "reason", "kept but never recorded: the sandbox stopped in between"));
            } else {
                throw new ReviewStateException("Release request " + request.id() + " kept in " + location
                        + " does not agree with the evidence ledger (its output, status or votes differ): restore it "
                        + "from a backup or have an auditor look");
            }
        }
        for (ReviewEvidence.Recorded recorded : evidence.requests()) {
            if (recorded.status() == ReleaseStatus.PENDING && !requests.containsKey(recorded.id())
                    && !evidence.ended(recorded.scenario()) && !evidence.jobEnded(recorded.jobId())) {
                throw new ReviewStateException("Release request " + recorded.id() + " is pending in the evidence "
                        + "ledger but missing from " + location + ": restore it from a backup or have an auditor look");
            }
        }
    }

    private static ReleaseRequest withoutLastVote(ReleaseRequest request) {
        return request.with(request.votes().subList(0, request.votes().size() - 1), ReleaseStatus.PENDING,
                request.updatedAt());
    }

    /**
     * Finishes what a stop broke off after a decision was recorded but before its outcome: an approved or rejected
     * request whose held output is still kept has its outcome delivered again (the job path releases or ends the job
     * if it still holds it). Called once the job path is connected.
     */
    public void resumeDecided() {
        List<ReleaseRequest> decided;
        synchronized (this) {
            decided = requests.values().stream().filter(r -> r.status() != ReleaseStatus.PENDING).toList();
        }
        for (ReleaseRequest request : decided) {
            if (!hasOutput(request)) {
                continue;
            }
            if (request.status() == ReleaseStatus.APPROVED) {
                outcomes.approved(request);
            } else {
                outcomes.rejected(request);
            }
            dropOutput(request);
        }
    }

    /** Forgets the requests of a scenario whose authorization ended (their outputs were shredded with its key). */
    public void forgetScenario(String scenario) {
        List<ReleaseRequest> forgotten;
        synchronized (this) {
            forgotten = requests.values().stream().filter(r -> r.scenario().equals(scenario)).toList();
            forgotten.forEach(r -> requests.remove(r.id()));
        }
        for (ReleaseRequest request : forgotten) {
            try {
                store.delete(request);
            } catch (java.io.IOException e) {
                // sealed under the destroyed key: unreadable; a start removes it
            }
        }
    }

    /** Reads a request's held output through, as a stream: refuses one that is gone or does not open whole. */
    private void verifyOutput(ReleaseRequest request) {
        try {
            Optional<java.io.InputStream> in = store.openOutput(request.scenario(), request.jobId());
            if (in.isEmpty()) {
                throw new SandboxException(ErrorCode.NOT_READY, "release request " + request.id()
                        + " holds no output any more");
            }
            try (java.io.InputStream opened = in.get()) {
                opened.transferTo(java.io.OutputStream.nullOutputStream());
            }
        } catch (java.io.IOException e) {
            throw new SandboxException(ErrorCode.INTERNAL, "the output held by release request " + request.id()
                    + " does not open");
        }
    }

    /** Whether a request's held output is kept and opens (its key is there); nothing of it is read. */
    private boolean hasOutput(ReleaseRequest request) {
        try {
            Optional<java.io.InputStream> in = store.openOutput(request.scenario(), request.jobId());
            if (in.isEmpty()) {
                return false;
            }
            in.get().close();
            return true;
        } catch (java.io.IOException e) {
            throw new SandboxException(ErrorCode.INTERNAL, "the output held by release request " + request.id()
                    + " does not open");
        }
    }

    private void dropOutput(ReleaseRequest request) {
        try {
            store.deleteOutput(request.scenario(), request.jobId());
        } catch (java.io.IOException e) {
            // sealed; the next start removes what no held job keeps
        }
    }

    private void keep(ReleaseRequest request) {
        try {
            store.save(request);
        } catch (java.io.IOException e) {
            throw new SandboxException(ErrorCode.INTERNAL, "release request " + request.id() + " could not be kept");
        }
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
                keepOutput(request, output.arrowIpc());
                keep(request);
                if (!before.jobId().equals(output.jobId())) {
                    dropOutput(before);
                }
                ledger.append(output.requester(), "release.rerun", request.id(), Map.of("job", output.jobId(),
                        "supersedes", before.jobId(), "resultSha", output.resultSha(),
                        "votesReset", Boolean.toString(request.votes().size() < before.votes().size())));
            } else {
                request = new ReleaseRequest("rr-" + SecureRandoms.hex(6), output.jobId(), output.scenario(),
                        output.requester().name(), output.requester().certificateSerial(), output.reason(),
                        output.submittedSql(), output.rewrittenSql(), output.sqlHash(), output.resultSha(), output.rows(),
                        output.report(), output.requiredApprovals(), List.of(), ReleaseStatus.PENDING, now, now);
                keepOutput(request, output.arrowIpc());
                keep(request);
            }
            requests.put(request.id(), request);
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

    /** Rows of a held output a reviewer reads at most; a longer output is shown by its first rows. */
    public static final int PREVIEW_ROWS = 10_000;

    /**
     * The held output of a request, as it would be released (Arrow IPC), for the reviewer to read: the whole output
     * up to {@link #PREVIEW_ROWS} rows, else its first {@link #PREVIEW_ROWS} rows (the request says how many it has),
     * read from where it is kept batch by batch.
     */
    public byte[] result(Identity caller, String requestId) {
        Access.require(caller, Role.REVIEWER, Role.ADMIN);
        ReleaseRequest request = find(requestId);
        try {
            Optional<java.io.InputStream> in = store.openOutput(request.scenario(), request.jobId());
            if (in.isEmpty()) {
                throw new SandboxException(ErrorCode.NOT_READY, "release request " + requestId
                        + " holds no output any more");
            }
            try (java.io.InputStream opened = in.get()) {
                return request.rows() <= PREVIEW_ROWS ? opened.readAllBytes()
                        : org.datasandbox.core.release.ArrowResults.head(opened, PREVIEW_ROWS);
            }
        } catch (java.io.IOException e) {
            throw new SandboxException(ErrorCode.INTERNAL, "the output held by release request " + request.id()
                    + " does not open");
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
        if (decision.verdict() == ReviewDecision.Verdict.APPROVE) {
            // an approval is of the output as held: one that no longer opens whole (altered, cut) gets no approval;
            // read through chunk by chunk, outside the desk's lock, whatever its size
            verifyOutput(find(decision.requestId()));
        }
        ReleaseRequest decided;
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
            // an approval is of the output as held: one that no longer opens (altered, gone) gets no approval
            if (decision.verdict() == ReviewDecision.Verdict.APPROVE && !hasOutput(decided)) {
                throw new SandboxException(ErrorCode.NOT_READY, "release request " + request.id()
                        + " holds no output any more");
            }
            keep(decided);
            requests.put(decided.id(), decided);
            ledger.append(reviewer, "release.vote", decided.id(), Map.of("job", decided.jobId(),
                    "verdict", decision.verdict().name(), "reasonHash", hash(decision.reason()),
                    "resultSha", decided.resultSha(), "approvals", Long.toString(approvals),
                    "requiredApprovals", Integer.toString(decided.requiredApprovals()),
                    "status", status.name()));
        }
        if (decided.status() == ReleaseStatus.APPROVED) {
            outcomes.approved(decided);
            dropOutput(decided);
        } else if (decided.status() == ReleaseStatus.REJECTED) {
            outcomes.rejected(decided);
            dropOutput(decided);
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

    private void keepOutput(ReleaseRequest request, byte[] arrowIpc) {
        if (arrowIpc == null) {
            return; // the job path streamed it into the store already
        }
        try {
            store.saveOutput(request.scenario(), request.jobId(), arrowIpc);
        } catch (java.io.IOException e) {
            throw new SandboxException(ErrorCode.INTERNAL, "the output held by release request " + request.id()
                    + " could not be kept");
        }
    }

    private String hash(String text) {
        return HexFormat.of().formatHex(crypto.hash(text.getBytes(StandardCharsets.UTF_8)));
    }
}
