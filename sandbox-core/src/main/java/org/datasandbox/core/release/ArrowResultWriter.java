package org.datasandbox.core.release;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Writes rows as an Arrow IPC stream as they arrive, one record batch at a time, so that a result of any size is
 * encoded with one batch in memory: a batch ends at {@link #BATCH_ROWS} rows, or earlier once its buffers reach an
 * eighth of the allocator's limit (wide rows), and the allocator's hard limit bounds what the writer may hold. The
 * rows are counted as they are written; more than {@code maxRows} stops the writing ({@link TooManyRows}) without
 * reading one more row. A small result gives exactly the bytes it always did ({@link ArrowResults#encode}
 * delegates here), so its hash is unchanged.
 */
public final class ArrowResultWriter {
    /** Rows per record batch. */
    public static final int BATCH_ROWS = 4_096;
    private static final int INITIAL_ROWS = 256;
    /** What a job's result writer may hold: one batch being filled and its growth. */
    public static final long DEFAULT_ALLOCATOR_LIMIT = 4L << 20;

    private ArrowResultWriter() {
    }

    /** How many rows were written, and the most Arrow memory the writer held at once. */
    public record Written(long rows, long peakAllocatedBytes) {
    }

    /** More rows came than the cap allows; what was written must be discarded. */
    public static final class TooManyRows extends Exception {
        private final long maxRows;

        TooManyRows(long maxRows) {
            super("more than " + maxRows + " rows", null, false, false);
            this.maxRows = maxRows;
        }

        public long maxRows() {
            return maxRows;
        }
    }

    /** Stopped because the caller asked (a cancelled job); what was written must be discarded. */
    public static final class Stopped extends Exception {
        Stopped() {
            super("stopped", null, false, false);
        }
    }

    /**
     * Writes {@code rows} to {@code out} as an Arrow IPC stream (the stream is not closed).
     *
     * @param stop asked between batches: true ends the writing with {@link Stopped}
     */
    public static Written write(StructType schema, Iterator<Row> rows, Map<String, String> metadata, OutputStream out,
                                long maxRows, long allocatorLimit, BooleanSupplier stop)
            throws IOException, TooManyRows, Stopped {
        Schema arrowSchema = new Schema(java.util.Arrays.stream(schema.fields()).map(ArrowResults::field).toList(),
                metadata.isEmpty() ? null : metadata);
        long batchBytes = Math.max(1, allocatorLimit / 8);
        int columns = schema.fields().length;
        long written = 0;
        try (BufferAllocator allocator = new RootAllocator(allocatorLimit);
             VectorSchemaRoot root = VectorSchemaRoot.create(arrowSchema, allocator);
             ArrowStreamWriter writer = new ArrowStreamWriter(root, null, out)) {
            writer.start();
            boolean first = true;
            while (first || rows.hasNext()) {
                if (stop.getAsBoolean()) {
                    throw new Stopped();
                }
                for (FieldVector vector : root.getFieldVectors()) {
                    vector.setInitialCapacity(INITIAL_ROWS); // grows as rows come (capacity does not change the bytes)
                }
                root.allocateNew();
                int count = 0;
                while (count < BATCH_ROWS && rows.hasNext()
                        && (count == 0 || allocator.getAllocatedMemory() < batchBytes)) {
                    if (written == maxRows) {
                        throw new TooManyRows(maxRows);
                    }
                    Row row = rows.next();
                    for (int c = 0; c < columns; c++) {
                        ArrowResults.set(root.getVector(c), count, row.isNullAt(c) ? null : row.get(c));
                    }
                    count++;
                    written++;
                }
                for (FieldVector vector : root.getFieldVectors()) {
                    vector.setValueCount(count);
                }
                root.setRowCount(count);
                writer.writeBatch();
                first = false;
            }
            writer.end();
            return new Written(written, allocator.getPeakMemoryAllocation());
        }
    }

}
