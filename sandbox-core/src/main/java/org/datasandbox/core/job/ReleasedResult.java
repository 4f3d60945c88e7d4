package org.datasandbox.core.job;

/**
 * A released output, by reference: where it is kept is the job's sealed result file
 * ({@link org.datasandbox.core.release.SealedResults#file}); here its row count, hash, the ledger entry that signs
 * the release and its size in bytes of Arrow IPC. Nothing of the output is held in memory, whatever its size.
 */
public record ReleasedResult(String jobId, long rows, String sha, long ledgerSequence, long bytes) {
    public ReleasedResult {
        java.util.Objects.requireNonNull(jobId, "jobId");
        java.util.Objects.requireNonNull(sha, "sha");
    }
}
