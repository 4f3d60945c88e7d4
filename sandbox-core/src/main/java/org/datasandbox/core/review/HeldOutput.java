package org.datasandbox.core.review;

import java.util.Objects;
import org.datasandbox.core.identity.Identity;

/**
 * An output the job path holds instead of releasing: what the desk turns into a request.
 *
 * @param arrowIpc the output as it would be released (kept inside the sandbox until approved), for the desk to keep;
 *        null when the job path has already sealed it where the desk's store keeps held outputs (a job streams its
 *        output there, {@link org.datasandbox.core.release.SealedResults#heldWriter}, whatever its size)
 */
public record HeldOutput(String jobId, String scenario, Identity requester, HoldReason reason, String submittedSql,
                         String rewrittenSql, String sqlHash, String resultSha, long rows, byte[] arrowIpc,
                         DisclosureReport report, int requiredApprovals) {
    public HeldOutput {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(submittedSql, "submittedSql");
        Objects.requireNonNull(rewrittenSql, "rewrittenSql");
        Objects.requireNonNull(sqlHash, "sqlHash");
        Objects.requireNonNull(resultSha, "resultSha");
        Objects.requireNonNull(report, "report");
    }
}
