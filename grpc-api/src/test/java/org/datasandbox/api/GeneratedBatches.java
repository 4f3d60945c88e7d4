package org.datasandbox.api;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A hand-written fake of a stored result: {@code batches} batches of {@code rows} rows (an Int64 id and a
 * short string, both functions of the row number), made one at a time as they are read, counting how many
 * have been read so far.
 */
final class GeneratedBatches extends ArrowReader {
    static final Schema SCHEMA = new Schema(List.of(Field.nullable("id", new ArrowType.Int(64, true)),
            Field.nullable("label", ArrowType.Utf8.INSTANCE)));

    private final int batches;
    private final int rows;
    private final AtomicInteger loaded;

    GeneratedBatches(BufferAllocator allocator, int batches, int rows, AtomicInteger loaded) {
        super(allocator);
        this.batches = batches;
        this.rows = rows;
        this.loaded = loaded;
    }

    static long id(long row) {
        return row * 7_919L + (1L << 60);
    }

    static String label(long row) {
        return "label-" + (row % 1_000);
    }

    @Override
    public boolean loadNextBatch() throws java.io.IOException {
        prepareLoadNextBatch();
        int batch = loaded.get();
        if (batch >= batches) {
            return false;
        }
        VectorSchemaRoot root = getVectorSchemaRoot();
        BigIntVector ids = (BigIntVector) root.getVector(0);
        VarCharVector labels = (VarCharVector) root.getVector(1);
        ids.allocateNew(rows);
        labels.allocateNew(rows * 12L, rows);
        for (int r = 0; r < rows; r++) {
            long row = (long) batch * rows + r;
            ids.set(r, id(row));
            labels.setSafe(r, label(row).getBytes(StandardCharsets.UTF_8));
        }
        root.setRowCount(rows);
        loaded.incrementAndGet();
        return true;
    }

    @Override
    public long bytesRead() {
        return 0;
    }

    @Override
    protected void closeReadSource() {
    }

    @Override
    protected Schema readSchema() {
        return SCHEMA;
    }
}
