package org.datasandbox.core.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The job's result writer against an oracle that knows nothing of its batching: the rows read back from what it
 * wrote are the rows generated (same count, same values in the same order), however many there are, while the
 * writer's Arrow memory stays under its hard limit; the cap stops reading at one row past it.
 */
class ArrowResultWriterTest {
    private static final StructType SCHEMA = new StructType().add("id", DataTypes.LongType)
            .add("name", DataTypes.StringType).add("score", DataTypes.DoubleType);
    private static final long LIMIT = 4L << 20;

    /** Rows made one at a time as they are asked for: the whole result never exists anywhere. */
    private static Iterator<Row> generated(long rows, AtomicLong taken, int textLength) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return taken.get() < rows;
            }

            @Override
            public Row next() {
                long i = taken.getAndIncrement();
                return RowFactory.create(i, i % 97 == 0 ? null : text(i, textLength), i * 0.5);
            }
        };
    }

    private static String text(long i, int length) {
        String base = "row-" + i + "-";
        StringBuilder out = new StringBuilder(length);
        while (out.length() < length) {
            out.append(base);
        }
        return out.substring(0, length);
    }

    @Test
    void write_resultManyTimesTheAllocatorLimit_streamsEveryRowInOrderUnderTheLimit() throws Exception {
        long rows = 400_000; // ~50 MB of Arrow IPC through a 4 MiB allocator
        AtomicLong taken = new AtomicLong();
        AtomicLong checked = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        List<Throwable> failures = new ArrayList<>();
        PipedInputStream in = new PipedInputStream(1 << 16);
        PipedOutputStream piped = new PipedOutputStream(in);
        Thread reader = new Thread(() -> { // reads back as the writer writes: nothing of it is kept
            try (InputStream counting = new java.io.FilterInputStream(in) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        bytes.addAndGet(n);
                    }
                    return n;
                }
            }) {
                ArrowResults.forEachRow(counting, (columns, index, row) -> {
                    assertThat(columns).containsExactly("id", "name", "score");
                    assertThat(row).containsExactly(index, index % 97 == 0 ? null : text(index, 100), index * 0.5);
                    checked.incrementAndGet();
                });
            } catch (Throwable e) {
                failures.add(e);
            }
        });
        reader.start();
        ArrowResultWriter.Written written;
        try (OutputStream out = piped) {
            written = ArrowResultWriter.write(SCHEMA, generated(rows, taken, 100), Map.of(), out, Long.MAX_VALUE,
                    LIMIT, () -> false);
        }
        reader.join();
        assertThat(failures).isEmpty();
        assertThat(written.rows()).isEqualTo(rows);
        assertThat(checked.get()).isEqualTo(rows);
        assertThat(bytes.get()).as("Arrow IPC bytes").isGreaterThan(10 * LIMIT);
        assertThat(written.peakAllocatedBytes()).isPositive().isLessThanOrEqualTo(LIMIT);
    }

    @Test
    void write_moreRowsThanTheCap_stopsOneRowPastIt() {
        AtomicLong taken = new AtomicLong();
        assertThatThrownBy(() -> ArrowResultWriter.write(SCHEMA, generated(1_000_000, taken, 10), Map.of(),
                OutputStream.nullOutputStream(), 10_000, LIMIT, () -> false))
                .isInstanceOf(ArrowResultWriter.TooManyRows.class);
        assertThat(taken.get()).as("rows read").isEqualTo(10_000);
    }

    @Test
    void write_exactlyTheCap_writesEveryRow() throws Exception {
        AtomicLong taken = new AtomicLong();
        ArrowResultWriter.Written written = ArrowResultWriter.write(SCHEMA, generated(10_000, taken, 10), Map.of(),
                OutputStream.nullOutputStream(), 10_000, LIMIT, () -> false);
        assertThat(written.rows()).isEqualTo(10_000);
    }

    @Test
    void write_stopAsked_endsBetweenBatches() {
        AtomicLong taken = new AtomicLong();
        assertThatThrownBy(() -> ArrowResultWriter.write(SCHEMA, generated(1_000_000, taken, 10), Map.of(),
                OutputStream.nullOutputStream(), Long.MAX_VALUE, LIMIT, () -> taken.get() >= 20_000))
                .isInstanceOf(ArrowResultWriter.Stopped.class);
        assertThat(taken.get()).isLessThan(20_000 + ArrowResultWriter.BATCH_ROWS + 1);
    }

    @Test
    void write_wideRows_cutsBatchesByMemoryNotOnlyByRows() throws Exception {
        AtomicLong taken = new AtomicLong();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ArrowResultWriter.Written written = ArrowResultWriter.write(SCHEMA, generated(3_000, taken, 4_000), Map.of(),
                out, Long.MAX_VALUE, LIMIT, () -> false); // 12 MB of text: no 4,096-row batch fits
        assertThat(written.rows()).isEqualTo(3_000);
        assertThat(written.peakAllocatedBytes()).isLessThanOrEqualTo(LIMIT);
        assertThat(ArrowResults.decode(out.toByteArray()).rows()).hasSize(3_000);
    }

    @Test
    void head_ofALongStream_isItsFirstRowsWithTheSameSchema() throws Exception {
        AtomicLong taken = new AtomicLong();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ArrowResultWriter.write(SCHEMA, generated(10_000, taken, 10), Map.of("k", "v"), out, Long.MAX_VALUE, LIMIT,
                () -> false);
        byte[] head = ArrowResults.head(new java.io.ByteArrayInputStream(out.toByteArray()), 5_000);
        ArrowResults.Table all = ArrowResults.decode(out.toByteArray());
        assertThat(ArrowResults.decode(head).rows()).isEqualTo(all.rows().subList(0, 5_000));
        assertThat(ArrowResults.metadata(head)).containsEntry("k", "v");
    }
}
