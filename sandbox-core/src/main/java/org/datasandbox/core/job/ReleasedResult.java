package org.datasandbox.core.job;

/**
 * Released output: the Arrow IPC stream, its hash, and the ledger entry that signs the release.
 */
public record ReleasedResult(String jobId, byte[] arrowIpc, long rows, String sha, long ledgerSequence) {
}
