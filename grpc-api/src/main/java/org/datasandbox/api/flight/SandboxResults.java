package org.datasandbox.api.flight;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.identity.Identity;
import org.datasandbox.core.job.OpenedResult;

/**
 * Released results as the sandbox keeps them at rest: the job's Arrow IPC stream, sealed in chunks under its
 * scenario's key, opened chunk by chunk and read one batch at a time, so that neither the file nor the result
 * is ever whole in memory. Opening one is a fetch like {@code FetchResult}: the same ownership check, and a
 * {@code result.fetched} entry in the ledger. A damaged file ends the stream with {@code INTERNAL} and a
 * message naming the job and the chunk, before any row of the bad chunk is sent.
 */
public final class SandboxResults implements ResultSource {
    static final String JOB = "datasandbox.job";
    static final String ROWS = "datasandbox.rows";
    static final String SHA = "datasandbox.sha";
    static final String LEDGER_SEQUENCE = "datasandbox.ledger_sequence";

    private final Sandbox sandbox;

    public SandboxResults(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Override
    public ReleasedStream open(Identity caller, String jobId, BufferAllocator allocator) {
        OpenedResult result = sandbox.openResult(caller, jobId);
        ArrowStreamReader reader = new ArrowStreamReader(new BufferedInputStream(result.arrowIpc(), 1 << 16), allocator);
        try {
            Map<String, String> receipt = new LinkedHashMap<>();
            receipt.put(JOB, result.jobId());
            receipt.put(ROWS, Long.toString(result.rows()));
            receipt.put(SHA, result.sha());
            receipt.put(LEDGER_SEQUENCE, Long.toString(result.ledgerSequence()));
            return new ReleasedStream(reader, ColumnAnnotations.annotate(reader.getVectorSchemaRoot().getSchema(),
                    sandbox.catalog(caller), receipt), result.rows(), result.bytes());
        } catch (IOException | RuntimeException e) {
            try {
                reader.close(); // closes the sealed file
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e instanceof IOException io ? new IllegalStateException("stored result unreadable", io)
                    : (RuntimeException) e;
        }
    }
}
