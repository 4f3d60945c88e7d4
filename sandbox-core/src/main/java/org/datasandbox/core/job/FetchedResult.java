package org.datasandbox.core.job;

import java.util.Objects;

/**
 * A released result read whole from sealed storage, for callers that want its bytes (clients of the Java API, batch
 * runs): only results within {@code maxResultRows} are read so; larger ones are read batch by batch
 * ({@link OpenedResult}, Arrow Flight).
 */
public record FetchedResult(String jobId, byte[] arrowIpc, long rows, String sha, long ledgerSequence) {
    public FetchedResult {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(arrowIpc, "arrowIpc");
        Objects.requireNonNull(sha, "sha");
    }
}
