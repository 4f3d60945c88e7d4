package org.datasandbox.core.job;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A released result opened for reading from sealed storage: its receipt, and its Arrow IPC stream opened chunk
 * by chunk as it is read, so that a result of any size is read with one chunk in memory. A damaged file fails
 * the read with a {@link org.datasandbox.core.SandboxException} ({@code INTERNAL}) that names no value, before
 * any byte of the bad chunk; closing it closes the file.
 *
 * @param bytes the size of the sealed file (a little more than the stream's)
 */
public record OpenedResult(String jobId, long rows, String sha, long ledgerSequence, long bytes, InputStream arrowIpc)
        implements AutoCloseable {
    public OpenedResult {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(sha, "sha");
        Objects.requireNonNull(arrowIpc, "arrowIpc");
    }

    @Override
    public void close() throws IOException {
        arrowIpc.close();
    }
}
