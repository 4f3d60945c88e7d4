package org.datasandbox.core.review;

import java.util.List;
import java.util.Objects;

/**
 * One held output waiting for (or past) review: the job, who asked, the SQL as submitted and as rewritten,
 * the output's hash and rows, its disclosure report and the votes cast on it. Immutable: the desk replaces it
 * on every change. The result itself is read with {@link ReviewDesk#result}.
 *
 * @param requester the developer's real name; {@code requesterSerial} the certificate they submitted with
 * @param requiredApprovals distinct reviewers who must approve the current output (1 or 2)
 * @param votes the votes on the current output only: a new output resets them
 */
public record ReleaseRequest(String id, String jobId, String scenario, String requester, String requesterSerial,
                             HoldReason reason, String submittedSql, String rewrittenSql, String sqlHash,
                             String resultSha, long rows, DisclosureReport report, int requiredApprovals,
                             List<ReviewVote> votes, ReleaseStatus status, String createdAt, String updatedAt) {
    public ReleaseRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(requesterSerial, "requesterSerial");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(submittedSql, "submittedSql");
        Objects.requireNonNull(rewrittenSql, "rewrittenSql");
        Objects.requireNonNull(sqlHash, "sqlHash");
        Objects.requireNonNull(resultSha, "resultSha");
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        votes = List.copyOf(votes);
        if (requiredApprovals < 1 || requiredApprovals > 2) {
            throw new IllegalArgumentException("a request needs 1 or 2 approvals. Provided value: " + requiredApprovals);
        }
    }

    /** Approvals of the current output so far. */
    public long approvals() {
        return votes.stream().filter(v -> v.verdict() == ReviewDecision.Verdict.APPROVE).count();
    }

    ReleaseRequest with(List<ReviewVote> newVotes, ReleaseStatus newStatus, String at) {
        return new ReleaseRequest(id, jobId, scenario, requester, requesterSerial, reason, submittedSql, rewrittenSql,
                sqlHash, resultSha, rows, report, requiredApprovals, newVotes, newStatus, createdAt, at);
    }

    /** The same request over a new output of a re-run: the votes start again. */
    ReleaseRequest rerun(String newJobId, String newRewrittenSql, String newSha, long newRows, DisclosureReport newReport,
                         String at) {
        boolean same = newSha.equals(resultSha);
        return new ReleaseRequest(id, newJobId, scenario, requester, requesterSerial, reason, submittedSql,
                newRewrittenSql, sqlHash, newSha, newRows, newReport, requiredApprovals, same ? votes : List.of(),
                status, createdAt, at);
    }
}
