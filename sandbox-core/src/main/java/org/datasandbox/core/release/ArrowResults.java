package org.datasandbox.core.release;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Encodes collected Spark rows as an Arrow IPC stream and decodes such streams for clients. Results
 * that leave the sandbox are small (aggregates, capped samples), so they are collected first; memory
 * comes from a bounded allocator that is closed per call, which also catches buffer leaks.
 */
public final class ArrowResults {
    private static final long ALLOCATOR_LIMIT = 1L << 30;

    private ArrowResults() {
    }

    /** The Arrow IPC stream of these rows. */
    public static byte[] encode(StructType schema, List<Row> rows) {
        return encode(schema, rows, Map.of());
    }

    /** The Arrow IPC stream of these rows, with metadata on its schema (a DP release's description, say). */
    public static byte[] encode(StructType schema, List<Row> rows, Map<String, String> metadata) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ArrowResultWriter.write(schema, rows.iterator(), metadata, out, Long.MAX_VALUE, ALLOCATOR_LIMIT, () -> false);
        } catch (IOException | ArrowResultWriter.TooManyRows | ArrowResultWriter.Stopped e) {
            throw new IllegalStateException("Arrow encoding failed", e);
        }
        return out.toByteArray();
    }

    /** A decoded result: column names and rows of Java values, for clients and tests. */
    public record Table(List<String> columns, List<List<Object>> rows) {
        public List<Map<String, Object>> records() {
            List<Map<String, Object>> records = new ArrayList<>();
            for (List<Object> row : rows) {
                Map<String, Object> record = new LinkedHashMap<>();
                for (int i = 0; i < columns.size(); i++) {
                    record.put(columns.get(i), row.get(i));
                }
                records.add(record);
            }
            return records;
        }
    }

    public static Table decode(byte[] ipc) {
        List<List<Object>> rows = new ArrayList<>();
        List<String> columns = new ArrayList<>();
        try (BufferAllocator allocator = new RootAllocator(ALLOCATOR_LIMIT);
             ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(ipc), allocator)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            root.getSchema().getFields().forEach(f -> columns.add(f.getName()));
            while (reader.loadNextBatch()) {
                for (int r = 0; r < root.getRowCount(); r++) {
                    List<Object> row = new ArrayList<>();
                    for (FieldVector vector : root.getFieldVectors()) {
                        Object value = vector.getObject(r);
                        if (value instanceof org.apache.arrow.vector.util.Text text) {
                            value = text.toString();
                        } else if (vector instanceof DateDayVector dates && value != null) {
                            value = LocalDate.ofEpochDay(dates.get(r));
                        }
                        row.add(value);
                    }
                    rows.add(row);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not an Arrow IPC stream", e);
        }
        return new Table(columns, rows);
    }

    /** Receives the rows of a stream one at a time; the row list is reused, copy what is kept. */
    @FunctionalInterface
    public interface RowVisitor {
        void row(List<String> columns, long index, List<Object> row);
    }

    /**
     * Reads an Arrow IPC stream batch by batch, handing each row to {@code visitor} as {@link #decode} would
     * return it: one batch in memory however long the stream.
     */
    public static void forEachRow(java.io.InputStream ipc, RowVisitor visitor) throws IOException {
        try (BufferAllocator allocator = new RootAllocator(ALLOCATOR_LIMIT);
             ArrowStreamReader reader = new ArrowStreamReader(ipc, allocator)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            List<String> columns = root.getSchema().getFields().stream().map(Field::getName).toList();
            long index = 0;
            List<Object> row = new ArrayList<>(columns.size());
            while (reader.loadNextBatch()) {
                for (int r = 0; r < root.getRowCount(); r++) {
                    row.clear();
                    for (FieldVector vector : root.getFieldVectors()) {
                        row.add(value(vector, r));
                    }
                    visitor.row(columns, index++, row);
                }
            }
        }
    }

    /**
     * The first {@code maxRows} rows of an Arrow IPC stream, as an Arrow IPC stream with the same schema, read batch
     * by batch (what a reviewer previews of a long output).
     */
    public static byte[] head(java.io.InputStream ipc, long maxRows) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (BufferAllocator allocator = new RootAllocator(ALLOCATOR_LIMIT);
             ArrowStreamReader reader = new ArrowStreamReader(ipc, allocator)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            try (org.apache.arrow.vector.ipc.ArrowStreamWriter writer =
                         new org.apache.arrow.vector.ipc.ArrowStreamWriter(root, null, out)) {
                writer.start();
                long taken = 0;
                while (taken < maxRows && reader.loadNextBatch()) {
                    int rows = (int) Math.min(root.getRowCount(), maxRows - taken);
                    if (rows < root.getRowCount()) {
                        root.setRowCount(rows); // the batch's first rows: the vectors' value counts shrink
                    }
                    writer.writeBatch();
                    taken += rows;
                }
                writer.end();
            }
        }
        return out.toByteArray();
    }

    private static Object value(FieldVector vector, int r) {
        Object value = vector.getObject(r);
        if (value instanceof org.apache.arrow.vector.util.Text text) {
            return text.toString();
        } else if (vector instanceof DateDayVector dates && value != null) {
            return LocalDate.ofEpochDay(dates.get(r));
        }
        return value;
    }

    /** The schema metadata of an Arrow IPC stream (empty when it has none). */
    public static Map<String, String> metadata(byte[] ipc) {
        try (BufferAllocator allocator = new RootAllocator(ALLOCATOR_LIMIT);
             ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(ipc), allocator)) {
            Map<String, String> metadata = reader.getVectorSchemaRoot().getSchema().getCustomMetadata();
            return metadata == null ? Map.of() : Map.copyOf(metadata);
        } catch (IOException e) {
            throw new IllegalArgumentException("not an Arrow IPC stream", e);
        }
    }

    static Field field(StructField field) {
        return new Field(field.name(), FieldType.nullable(arrowType(field.dataType())), null);
    }

    private static ArrowType arrowType(DataType type) {
        if (type.equals(DataTypes.StringType)) {
            return ArrowType.Utf8.INSTANCE;
        } else if (type.equals(DataTypes.IntegerType)) {
            return new ArrowType.Int(32, true);
        } else if (type.equals(DataTypes.LongType)) {
            return new ArrowType.Int(64, true);
        } else if (type.equals(DataTypes.ShortType)) {
            return new ArrowType.Int(16, true);
        } else if (type.equals(DataTypes.ByteType)) {
            return new ArrowType.Int(8, true);
        } else if (type.equals(DataTypes.DoubleType)) {
            return new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
        } else if (type.equals(DataTypes.FloatType)) {
            return new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
        } else if (type.equals(DataTypes.BooleanType)) {
            return ArrowType.Bool.INSTANCE;
        } else if (type.equals(DataTypes.DateType)) {
            return new ArrowType.Date(DateUnit.DAY);
        } else if (type.equals(DataTypes.TimestampType)) {
            return new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");
        } else if (type instanceof DecimalType decimal) {
            return new ArrowType.Decimal(decimal.precision(), decimal.scale(), 128);
        }
        throw new IllegalArgumentException("result type not supported: " + type.simpleString());
    }

    static void set(FieldVector vector, int index, Object value) {
        if (value == null) {
            vector.setNull(index);
            return;
        }
        if (vector instanceof VarCharVector v) {
            v.setSafe(index, value.toString().getBytes(StandardCharsets.UTF_8));
        } else if (vector instanceof IntVector v) {
            v.setSafe(index, ((Number) value).intValue());
        } else if (vector instanceof BigIntVector v) {
            v.setSafe(index, ((Number) value).longValue());
        } else if (vector instanceof SmallIntVector v) {
            v.setSafe(index, ((Number) value).shortValue());
        } else if (vector instanceof TinyIntVector v) {
            v.setSafe(index, ((Number) value).byteValue());
        } else if (vector instanceof Float8Vector v) {
            v.setSafe(index, ((Number) value).doubleValue());
        } else if (vector instanceof Float4Vector v) {
            v.setSafe(index, ((Number) value).floatValue());
        } else if (vector instanceof BitVector v) {
            v.setSafe(index, ((Boolean) value) ? 1 : 0);
        } else if (vector instanceof DateDayVector v) {
            LocalDate date = value instanceof java.sql.Date d ? d.toLocalDate() : (LocalDate) value;
            v.setSafe(index, (int) date.toEpochDay());
        } else if (vector instanceof TimeStampMicroTZVector v) {
            Instant instant = value instanceof java.sql.Timestamp t ? t.toInstant() : (Instant) value;
            v.setSafe(index, instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000);
        } else if (vector instanceof DecimalVector v) {
            BigDecimal decimal = (BigDecimal) value;
            v.setSafe(index, decimal.setScale(v.getScale(), java.math.RoundingMode.UNNECESSARY));
        } else {
            throw new IllegalArgumentException("unsupported vector " + vector.getClass().getSimpleName());
        }
    }
}
