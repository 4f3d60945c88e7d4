package org.datasandbox.api.flight;

import java.io.IOException;
import java.util.Objects;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * One released result, open for reading: its batches come from {@code reader} one at a time, and
 * {@code schema} is the reader's schema with the sandbox's metadata (roles, classifications, receipt)
 * added, which is what clients see.
 *
 * @param rows the result's rows, -1 when the source does not know them before reading
 * @param bytes the size of the stored result, -1 when unknown
 */
public record ReleasedStream(ArrowReader reader, Schema schema, long rows, long bytes) implements AutoCloseable {

    public ReleasedStream {
        Objects.requireNonNull(reader, "reader");
        Objects.requireNonNull(schema, "schema");
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
