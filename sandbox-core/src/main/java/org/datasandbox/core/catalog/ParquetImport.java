package org.datasandbox.core.catalog;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.datasandbox.core.ErrorCode;
import org.datasandbox.core.SandboxException;
import org.datasandbox.guard.catalog.ColumnType;

/**
 * Strict Parquet import with parquet-mr (the reader Spark itself uses), streaming from the staged upload
 * one row group at a time: nothing of the plain file is written to disk. The file's own schema gives the types; only flat
 * columns of the sandbox's types are taken (strings, 8 to 64-bit integers, floats, dates, timestamps,
 * booleans), everything else is refused with the column and what to convert it to. A file holds at most
 * as many cells as the upload limit has bytes (a CSV of that size could not hold more), checked from the
 * footer before any page is read. Every refusal names a row and a column, never a value.
 */
public final class ParquetImport {
    private static final String TYPES = "string, integer, bigint, double, date, timestamp or boolean";

    private ParquetImport() {
    }

    /**
     * Parses and types an upload held in memory.
     *
     * @param maxCells most rows times columns the file may hold
     * @throws SandboxException with {@link ErrorCode#INVALID_PARQUET}
     */
    public static ImportedTable parse(byte[] bytes, Map<String, ColumnType> declared, long maxCells) {
        if (bytes.length == 0 && declared.isEmpty()) {
            throw invalid("the file is empty");
        }
        try {
            return ImportedTable.of(read(new BytesInputFile(bytes), declared, maxCells));
        } catch (IOException e) {
            throw invalid("the file is not a readable Parquet file (its footer, schema or pages are damaged)");
        }
    }

    /**
     * Checks a whole upload, one row group at a time, and returns it as typed rows that a second pass reads.
     *
     * @param maxCells most rows times columns the file may hold
     * @throws SandboxException with {@link ErrorCode#INVALID_PARQUET}
     */
    public static RowSource read(InputFile file, Map<String, ColumnType> declared, long maxCells) {
        if (!declared.isEmpty()) {
            throw invalid("a Parquet file carries its own column types; declare types only for CSV files");
        }
        try {
            if (file.getLength() == 0) {
                throw invalid("the file is empty");
            }
        } catch (IOException e) {
            throw invalid("the file could not be read");
        }
        try (ParquetFileReader reader = ParquetFileReader.open(file, ParquetReadOptions.builder().build())) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            List<DatasetColumn> columns = columns(schema);
            long rowCount = 0;
            for (BlockMetaData block : reader.getFooter().getBlocks()) {
                rowCount += block.getRowCount();
            }
            if (rowCount == 0) {
                throw invalid("the file has a schema but no rows");
            }
            if (rowCount > maxCells / columns.size()) {
                throw new SandboxException(ErrorCode.TOO_LARGE, "The Parquet file holds more than " + maxCells
                        + " cells (rows times columns)");
            }
            forEachRow(reader, schema, columns, rowCount, row -> { });
            return new TypedRows(file, schema, List.copyOf(columns), rowCount);
        } catch (SandboxException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // parquet-mr's messages may quote statistics or page contents: none of it is passed on
            throw invalid("the file is not a readable Parquet file (its footer, schema or pages are damaged)");
        }
    }

    /** The rows of a checked Parquet file: each read decodes the file again. */
    private record TypedRows(InputFile file, MessageType schema, List<DatasetColumn> columns, long rowCount)
            implements RowSource {
        @Override
        public void forEachRow(RowSink sink) throws IOException {
            try (ParquetFileReader reader = ParquetFileReader.open(file, ParquetReadOptions.builder().build())) {
                ParquetImport.forEachRow(reader, schema, columns, rowCount, sink);
            } catch (SandboxException e) {
                throw new IOException("the upload changed between the check and the import", e);
            }
        }
    }

    private static List<DatasetColumn> columns(MessageType schema) {
        if (schema.getFieldCount() == 0) {
            throw invalid("the file has no columns");
        }
        if (schema.getFieldCount() > CsvImport.MAX_COLUMNS) {
            throw invalid("the file has more than " + CsvImport.MAX_COLUMNS + " columns");
        }
        List<DatasetColumn> columns = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < schema.getFieldCount(); i++) {
            Type field = schema.getType(i);
            String name = field.getName().strip().toLowerCase(Locale.ROOT);
            if (!DatasetColumn.IDENTIFIER.matcher(name).matches()) {
                throw invalid("column " + (i + 1) + " has no valid name (letters, digits and _; no leading digit)");
            }
            if (!seen.add(name)) {
                throw invalid("column " + (i + 1) + " repeats an earlier column name");
            }
            if (!field.isPrimitive() || field.isRepetition(Type.Repetition.REPEATED)) {
                throw invalid("column " + name + " is a nested or repeated field; flatten it into columns of " + TYPES);
            }
            columns.add(new DatasetColumn(name, type(name, field.asPrimitiveType())));
        }
        return columns;
    }

    /** The sandbox type of a flat Parquet column, or a refusal that says what to convert it to. */
    static ColumnType type(String name, PrimitiveType field) {
        LogicalTypeAnnotation logical = field.getLogicalTypeAnnotation();
        ColumnType type = switch (field.getPrimitiveTypeName()) {
            case BOOLEAN -> logical == null ? ColumnType.BOOLEAN : null;
            case FLOAT, DOUBLE -> logical == null ? ColumnType.DOUBLE : null;
            case INT96 -> ColumnType.TIMESTAMP; // Spark's legacy timestamp: nanoseconds of the day and a Julian day
            case INT32 -> {
                if (logical == null) {
                    yield ColumnType.INTEGER;
                } else if (logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
                    yield ColumnType.DATE;
                } else if (logical instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation ints) {
                    yield ints.isSigned() ? ColumnType.INTEGER : ints.getBitWidth() < 32 ? ColumnType.INTEGER
                            : ColumnType.BIGINT;
                }
                yield null;
            }
            case INT64 -> {
                if (logical == null) {
                    yield ColumnType.BIGINT;
                } else if (logical instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation ints && ints.isSigned()) {
                    yield ColumnType.BIGINT;
                } else if (logical instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation) {
                    yield ColumnType.TIMESTAMP;
                }
                yield null;
            }
            case BINARY, FIXED_LEN_BYTE_ARRAY -> logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                    || logical instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation ? ColumnType.STRING : null;
        };
        if (type == null) {
            String described = field.getPrimitiveTypeName().name().toLowerCase(Locale.ROOT)
                    + (logical == null ? "" : " " + logical.toString().toLowerCase(Locale.ROOT));
            throw invalid("column " + name + " has the Parquet type " + described + ", which the sandbox does not "
                    + "store; convert it to " + TYPES);
        }
        return type;
    }

    private static void forEachRow(ParquetFileReader reader, MessageType schema, List<DatasetColumn> columns,
                                   long rowCount, RowSource.RowSink sink) throws IOException {
        long rows = 0;
        ColumnIOFactory factory = new ColumnIOFactory();
        Object[] row = new Object[columns.size()];
        PageReadStore pages;
        while ((pages = reader.readNextRowGroup()) != null) {
            RecordReader<Group> records = factory.getColumnIO(schema).getRecordReader(pages, new GroupRecordConverter(schema));
            for (long r = 0; r < pages.getRowCount(); r++) {
                Group group = records.read();
                rows++;
                for (int c = 0; c < row.length; c++) {
                    row[c] = group.getFieldRepetitionCount(c) == 0 ? null
                            : value(group, c, schema.getType(c).asPrimitiveType(), columns.get(c), rows);
                }
                sink.accept(row);
            }
        }
        if (rows != rowCount) {
            throw invalid("the file's pages hold " + rows + " rows but its footer says " + rowCount);
        }
    }

    private static Object value(Group group, int c, PrimitiveType field, DatasetColumn column, long row) {
        return switch (field.getPrimitiveTypeName()) {
            case BOOLEAN -> group.getBoolean(c, 0);
            case INT32 -> column.type() == ColumnType.DATE ? LocalDate.ofEpochDay(group.getInteger(c, 0))
                    : column.type() == ColumnType.BIGINT ? Integer.toUnsignedLong(group.getInteger(c, 0))
                    : (Object) group.getInteger(c, 0);
            case INT64 -> column.type() == ColumnType.TIMESTAMP ? instant(group.getLong(c, 0),
                    (LogicalTypeAnnotation.TimestampLogicalTypeAnnotation) field.getLogicalTypeAnnotation())
                    : (Object) group.getLong(c, 0);
            case FLOAT, DOUBLE -> {
                double d = field.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.FLOAT
                        ? group.getFloat(c, 0) : group.getDouble(c, 0);
                if (!Double.isFinite(d)) {
                    throw invalid("row " + row + ", column " + column.name() + " is not a finite number");
                }
                yield d;
            }
            case INT96 -> int96(group.getInt96(c, 0));
            case BINARY, FIXED_LEN_BYTE_ARRAY -> text(group.getBinary(c, 0), column, row);
        };
    }

    private static Instant instant(long value, LogicalTypeAnnotation.TimestampLogicalTypeAnnotation timestamp) {
        return switch (timestamp.getUnit()) {
            case MILLIS -> Instant.ofEpochMilli(value);
            case MICROS -> Instant.ofEpochSecond(Math.floorDiv(value, 1_000_000L), Math.floorMod(value, 1_000_000L) * 1_000L);
            case NANOS -> Instant.ofEpochSecond(Math.floorDiv(value, 1_000_000_000L), Math.floorMod(value, 1_000_000_000L));
        };
    }

    /** INT96: 8 bytes of nanoseconds in the day, then 4 bytes of the Julian day, both little-endian. */
    private static Instant int96(Binary value) {
        ByteBuffer buffer = value.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        long nanos = buffer.getLong();
        long julianDay = buffer.getInt();
        long epochDay = julianDay - 2_440_588L;
        return Instant.ofEpochSecond(epochDay * 86_400L).plusNanos(nanos);
    }

    private static String text(Binary value, DatasetColumn column, long row) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(value.toByteBuffer()).toString();
        } catch (CharacterCodingException e) {
            throw invalid("row " + row + ", column " + column.name() + " is not valid UTF-8");
        }
        if (text.length() > CsvImport.MAX_FIELD_CHARS) {
            throw invalid("row " + row + ", column " + column.name() + " is longer than " + CsvImport.MAX_FIELD_CHARS
                    + " characters");
        }
        return text;
    }

    private static SandboxException invalid(String message) {
        return new SandboxException(ErrorCode.INVALID_PARQUET, "Invalid Parquet: " + message);
    }

    /** The uploaded bytes as parquet-mr's random-access input. */
    private record BytesInputFile(byte[] bytes) implements InputFile {
        @Override
        public long getLength() {
            return bytes.length;
        }

        @Override
        public SeekableInputStream newStream() {
            SeekableBytes in = new SeekableBytes(bytes);
            return new DelegatingSeekableInputStream(in) {
                @Override
                public long getPos() {
                    return in.position();
                }

                @Override
                public void seek(long newPos) throws IOException {
                    in.seek(newPos);
                }
            };
        }
    }

    private static final class SeekableBytes extends ByteArrayInputStream {
        SeekableBytes(byte[] bytes) {
            super(bytes);
        }

        long position() {
            return pos;
        }

        void seek(long position) throws EOFException {
            if (position < 0 || position > count) {
                throw new EOFException("seek outside the file");
            }
            pos = (int) position;
        }
    }
}
