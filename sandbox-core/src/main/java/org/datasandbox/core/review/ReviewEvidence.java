package org.datasandbox.core.review;

import java.io.IOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.datasandbox.core.ledger.EvidenceLedger;
import org.datasandbox.core.ledger.LedgerEntry;

/**
 * The evidence ledger's word on every release request, replayed from the entries the desk wrote
 * ({@code release.held}, {@code release.vote}; a {@code release.vote.undone} drops a vote the ledger never had, so
 * it changes nothing here), the jobs' outcomes and the ends of authorizations: what the kept
 * requests must agree with when the desk starts. A file rolled back to an earlier state (a vote undone, a rejection
 * turned pending) or deleted disagrees with it; the signed ledger cannot be rolled back unnoticed.
 */
final class ReviewEvidence {
    /** A request as the ledger last recorded it. */
    record Recorded(String id, String scenario, String jobId, String resultSha, ReleaseStatus status, int votes,
                    long approvals) {
        boolean agrees(ReleaseRequest request) {
            return request.scenario().equals(scenario) && request.jobId().equals(jobId)
                    && request.resultSha().equals(resultSha) && request.status() == status
                    && request.votes().size() == votes && request.approvals() == approvals;
        }
    }

    private static final Set<String> JOB_OUTCOMES = Set.of("job.released", "job.failed", "job.cancelled",
            "job.refused", "job.interrupted");

    private final Map<String, Recorded> requests = new LinkedHashMap<>();
    private final Set<String> endedScenarios = new HashSet<>();
    private final Set<String> endedJobs = new HashSet<>();

    static ReviewEvidence read(EvidenceLedger ledger) throws IOException {
        ReviewEvidence evidence = new ReviewEvidence();
        for (LedgerEntry entry : ledger.entries()) {
            evidence.replay(entry);
        }
        return evidence;
    }

    private void replay(LedgerEntry entry) {
        Map<String, String> details = entry.details();
        switch (entry.action()) {
            case "release.held" -> {
                Recorded before = requests.get(entry.subject());
                String sha = details.getOrDefault("resultSha", "");
                boolean sameOutput = before != null && before.resultSha().equals(sha);
                requests.put(entry.subject(), new Recorded(entry.subject(), details.getOrDefault("scenario", ""),
                        details.getOrDefault("job", ""), sha, ReleaseStatus.PENDING, sameOutput ? before.votes() : 0,
                        sameOutput ? before.approvals() : 0));
            }
            case "release.vote" -> {
                Recorded before = requests.get(entry.subject());
                if (before != null) {
                    requests.put(entry.subject(), new Recorded(before.id(), before.scenario(), before.jobId(),
                            before.resultSha(), ReleaseStatus.valueOf(details.getOrDefault("status", "PENDING")),
                            before.votes() + 1, Long.parseLong(details.getOrDefault("approvals", "0"))));
                }
            }
            case "authorization.ended" -> endedScenarios.add(entry.subject());
            default -> {
                if (JOB_OUTCOMES.contains(entry.action())) {
                    endedJobs.add(entry.subject());
                }
            }
        }
    }

    Optional<Recorded> request(String id) {
        return Optional.ofNullable(requests.get(id));
    }

    Iterable<Recorded> requests() {
        return requests.values();
    }

    boolean ended(String scenario) {
        return endedScenarios.contains(scenario);
    }

    /** Whether the ledger records an outcome of the job (released, failed, cancelled, interrupted). */
    boolean jobEnded(String jobId) {
        return endedJobs.contains(jobId);
    }
}
