package org.datasandbox.api.cli;

import com.univocity.parsers.csv.CsvWriter;
import com.univocity.parsers.csv.CsvWriterSettings;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.datasandbox.api.client.SandboxClient;
import org.datasandbox.core.release.ParquetResults;

/**
 * Writes a released result to a file: the Arrow stream as received, CSV with a header, or Parquet with the
 * result's column types. The format is the one asked for, else the output file's extension, else CSV.
 */
final class ResultFiles {
    private ResultFiles() {
    }

    /** {@code csv}, {@code parquet} or {@code arrow}: the given format, else from the file name. */
    static String format(String given, Path out) {
        if (given != null && !given.isBlank()) {
            String format = given.strip().toLowerCase(Locale.ROOT);
            if (!format.equals("csv") && !format.equals("parquet") && !format.equals("arrow")) {
                throw new IllegalArgumentException("--format must be csv, parquet or arrow, not " + given);
            }
            return format;
        }
        String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".parquet")) {
            return "parquet";
        } else if (name.endsWith(".arrow") || name.endsWith(".arrows")) {
            return "arrow";
        }
        return "csv";
    }

    static void write(SandboxClient.Result result, String format, Path out) throws IOException {
        switch (format(format, out)) {
            case "arrow" -> Files.write(out, result.arrowIpc());
            case "parquet" -> ParquetResults.write(result.arrowIpc(), out);
            default -> {
                try (Writer writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                    CsvWriter csv = new CsvWriter(writer, new CsvWriterSettings());
                    csv.writeHeaders(result.table().columns());
                    result.table().rows().forEach(row -> csv.writeRow(row.toArray()));
                    csv.close();
                }
            }
        }
    }
}
