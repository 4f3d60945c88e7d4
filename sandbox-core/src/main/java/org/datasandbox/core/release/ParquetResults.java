package org.datasandbox.core.release;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Writes a released result (an Arrow IPC stream, as {@link ArrowResults} encodes it) as a Parquet file with
 * parquet-mr, for clients: the same columns and types (strings, 8 to 64-bit integers, floats, booleans,
 * dates, UTC timestamps in microseconds, decimals), every column optional, one row group.
 */
public final class ParquetResults {
    private static final long ALLOCATOR_LIMIT = 1L << 30;

    private ParquetResults() {
    }

    /** Writes the result to {@code out}, replacing the file if it exists. */
    public static void write(byte[] arrowIpc, Path out) throws IOException {
        try (BufferAllocator allocator = new RootAllocator(ALLOCATOR_LIMIT);
             ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(arrowIpc), allocator)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            MessageType schema = schema(root.getSchema().getFields());
            SimpleGroupFactory groups = new SimpleGroupFactory(schema);
            try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(out)).withType(schema)
                    .withWriteMode(ParquetFileWriter.Mode.OVERWRITE).build()) {
                while (reader.loadNextBatch()) {
                    for (int r = 0; r < root.getRowCount(); r++) {
                        Group group = groups.newGroup();
                        List<FieldVector> vectors = root.getFieldVectors();
                        for (int c = 0; c < vectors.size(); c++) {
                            if (!vectors.get(c).isNull(r)) {
                                add(group, c, vectors.get(c), r);
                            }
                        }
                        writer.write(group);
                    }
                }
            }
        }
    }

    static MessageType schema(List<Field> fields) {
        List<Type> columns = new ArrayList<>();
        for (Field field : fields) {
            columns.add(column(field.getName(), field.getType()));
        }
        return new MessageType("result", columns);
    }

    private static Type column(String name, ArrowType type) {
        if (type instanceof ArrowType.Utf8) {
            return Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(name);
        } else if (type instanceof ArrowType.Int ints && ints.getIsSigned()) {
            return ints.getBitWidth() == 64 ? Types.optional(PrimitiveTypeName.INT64).named(name)
                    : Types.optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.intType(ints.getBitWidth(), true))
                    .named(name);
        } else if (type instanceof ArrowType.FloatingPoint floats) {
            return Types.optional(floats.getPrecision() == FloatingPointPrecision.SINGLE ? PrimitiveTypeName.FLOAT
                    : PrimitiveTypeName.DOUBLE).named(name);
        } else if (type instanceof ArrowType.Bool) {
            return Types.optional(PrimitiveTypeName.BOOLEAN).named(name);
        } else if (type instanceof ArrowType.Date date && date.getUnit() == DateUnit.DAY) {
            return Types.optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.dateType()).named(name);
        } else if (type instanceof ArrowType.Timestamp timestamp && timestamp.getUnit() == TimeUnit.MICROSECOND) {
            return Types.optional(PrimitiveTypeName.INT64)
                    .as(LogicalTypeAnnotation.timestampType(timestamp.getTimezone() != null,
                            LogicalTypeAnnotation.TimeUnit.MICROS)).named(name);
        } else if (type instanceof ArrowType.Decimal decimal) {
            return Types.optional(PrimitiveTypeName.BINARY)
                    .as(LogicalTypeAnnotation.decimalType(decimal.getScale(), decimal.getPrecision())).named(name);
        }
        throw new IllegalArgumentException("result type not supported in Parquet: " + type);
    }

    private static void add(Group group, int c, FieldVector vector, int r) {
        if (vector instanceof VarCharVector v) {
            group.add(c, Binary.fromConstantByteArray(v.get(r)));
        } else if (vector instanceof IntVector v) {
            group.add(c, v.get(r));
        } else if (vector instanceof SmallIntVector v) {
            group.add(c, (int) v.get(r));
        } else if (vector instanceof TinyIntVector v) {
            group.add(c, (int) v.get(r));
        } else if (vector instanceof BigIntVector v) {
            group.add(c, v.get(r));
        } else if (vector instanceof Float4Vector v) {
            group.add(c, v.get(r));
        } else if (vector instanceof Float8Vector v) {
            group.add(c, v.get(r));
        } else if (vector instanceof BitVector v) {
            group.add(c, v.get(r) == 1);
        } else if (vector instanceof DateDayVector v) {
            group.add(c, v.get(r));
        } else if (vector instanceof TimeStampMicroTZVector v) {
            group.add(c, v.get(r));
        } else if (vector instanceof DecimalVector v) {
            BigDecimal decimal = v.getObject(r);
            group.add(c, Binary.fromConstantByteArray(decimal.unscaledValue().toByteArray()));
        } else {
            throw new IllegalArgumentException("unsupported vector " + vector.getClass().getSimpleName());
        }
    }
}
