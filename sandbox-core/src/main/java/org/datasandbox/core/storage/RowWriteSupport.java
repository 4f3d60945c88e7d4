package org.datasandbox.core.storage;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.datasandbox.core.catalog.DatasetColumn;
import org.datasandbox.guard.catalog.ColumnType;

/**
 * Writes rows of the sandbox's Java values with parquet-mr, in the physical types Spark itself writes and
 * reads back as the same Spark types: strings as UTF-8 binary, dates as days, timestamps as UTC
 * microseconds, every column optional.
 */
final class RowWriteSupport extends WriteSupport<Object[]> {
    private final MessageType schema;
    private final ColumnType[] types;
    private RecordConsumer consumer;

    RowWriteSupport(List<DatasetColumn> columns) {
        this.schema = schema(columns);
        this.types = columns.stream().map(DatasetColumn::type).toArray(ColumnType[]::new);
    }

    static MessageType schema(List<DatasetColumn> columns) {
        List<Type> fields = new ArrayList<>();
        for (DatasetColumn column : columns) {
            Types.PrimitiveBuilder<org.apache.parquet.schema.PrimitiveType> field = switch (column.type()) {
                case STRING -> Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType());
                case INTEGER -> Types.optional(PrimitiveTypeName.INT32);
                case BIGINT -> Types.optional(PrimitiveTypeName.INT64);
                case DOUBLE -> Types.optional(PrimitiveTypeName.DOUBLE);
                case DATE -> Types.optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.dateType());
                case TIMESTAMP -> Types.optional(PrimitiveTypeName.INT64)
                        .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS));
                case BOOLEAN -> Types.optional(PrimitiveTypeName.BOOLEAN);
            };
            fields.add(field.named(column.name()));
        }
        return new MessageType("spark_schema", fields);
    }

    @Override
    public WriteContext init(Configuration configuration) {
        return new WriteContext(schema, new HashMap<>());
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
        this.consumer = recordConsumer;
    }

    @Override
    public void write(Object[] row) {
        consumer.startMessage();
        for (int c = 0; c < types.length; c++) {
            Object value = row[c];
            if (value == null) {
                continue;
            }
            consumer.startField(schema.getFieldName(c), c);
            switch (types[c]) {
                case STRING -> consumer.addBinary(Binary.fromString((String) value));
                case INTEGER -> consumer.addInteger((Integer) value);
                case BIGINT -> consumer.addLong(((Number) value).longValue());
                case DOUBLE -> consumer.addDouble(((Number) value).doubleValue());
                case DATE -> consumer.addInteger(Math.toIntExact(((LocalDate) value).toEpochDay()));
                case TIMESTAMP -> {
                    Instant instant = (Instant) value;
                    consumer.addLong(Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L),
                            instant.getNano() / 1_000L));
                }
                case BOOLEAN -> consumer.addBoolean((Boolean) value);
            }
            consumer.endField(schema.getFieldName(c), c);
        }
        consumer.endMessage();
    }
}
