package org.datasandbox.core.sample;

import com.univocity.parsers.csv.CsvWriter;
import com.univocity.parsers.csv.CsvWriterSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.datasandbox.core.ErrorCode;
import org.datasandbox.core.SandboxException;
import org.datasandbox.core.release.ArrowResults;
import org.datasandbox.core.storage.EncryptedParquet;

/** The file formats developers download samples in. */
public enum SampleFormat {
    ARROW,
    PARQUET,
    CSV;

    /** Parses {@code arrow}, {@code parquet} or {@code csv}; empty means Arrow. */
    public static SampleFormat parse(String text) {
        if (text == null || text.isBlank()) {
            return ARROW;
        }
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new SandboxException(ErrorCode.INVALID_ARGUMENT, "the sample format must be arrow, parquet or csv");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The bytes of a file of these rows.
     *
     * @param scratch a directory inside the sandbox for Parquet's writer, emptied again before returning
     */
    public byte[] encode(SparkSession spark, StructType schema, List<Row> rows, Path scratch) throws IOException {
        return switch (this) {
            case ARROW -> ArrowResults.encode(schema, rows);
            case CSV -> csv(schema, rows);
            case PARQUET -> parquet(spark, schema, rows, scratch);
        };
    }

    private static byte[] csv(StructType schema, List<Row> rows) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CsvWriterSettings settings = new CsvWriterSettings();
        settings.setQuoteEscapingEnabled(true);
        CsvWriter writer = new CsvWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), settings);
        writer.writeHeaders(schema.fieldNames());
        for (Row row : rows) {
            Object[] values = new Object[row.length()];
            for (int i = 0; i < values.length; i++) {
                values[i] = row.isNullAt(i) ? null : row.get(i).toString();
            }
            writer.writeRow(values);
        }
        writer.close();
        return out.toByteArray();
    }

    private static byte[] parquet(SparkSession spark, StructType schema, List<Row> rows, Path scratch) throws IOException {
        Files.createDirectories(scratch);
        Path dir = Files.createTempDirectory(scratch, "sample-");
        Path output = dir.resolve("out");
        try {
            spark.createDataFrame(rows, schema).coalesce(1).write().parquet(output.toUri().toString());
            try (Stream<Path> files = Files.list(output)) {
                Path part = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst()
                        .orElseThrow(() -> new IOException("Spark wrote no Parquet file"));
                return Files.readAllBytes(part);
            }
        } finally {
            EncryptedParquet.deleteRecursively(dir);
        }
    }
}
