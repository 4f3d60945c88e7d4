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

/** Writes a released result to a file: the Arrow stream as received, or CSV with a header. */
final class ResultFiles {
    private ResultFiles() {
    }

    static void write(SandboxClient.Result result, String format, Path out) throws IOException {
        switch (format.toLowerCase(Locale.ROOT)) {
            case "arrow" -> Files.write(out, result.arrowIpc());
            case "csv" -> {
                try (Writer writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                    CsvWriter csv = new CsvWriter(writer, new CsvWriterSettings());
                    csv.writeHeaders(result.table().columns());
                    result.table().rows().forEach(row -> csv.writeRow(row.toArray()));
                    csv.close();
                }
            }
            default -> throw new IllegalArgumentException("--format must be csv or arrow, not " + format);
        }
    }
}
