package org.datasandbox.api.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** What a sample command asks for and where it writes: the same options online ({@code sample}) and offline. */
final class SampleOptions {

    @Option(names = "--table", required = true, description = "The table to sample.")
    String table;

    @Option(names = "--kind", defaultValue = "masked", description = "masked or synthetic (default: ${DEFAULT-VALUE}).")
    String kind;

    @Option(names = "--format", defaultValue = "csv", description = "arrow, parquet or csv (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--rows", defaultValue = "1000", description = "At most this many rows, up to 10,000 (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--out", required = true, description = "File to write; the report goes to FILE.report.json.")
    Path out;

    /** Writes the sample to {@code --out} and its report next to it; returns the report's path. */
    Path write(byte[] data, byte[] reportJson) throws IOException {
        Files.write(out, data);
        return writeReport(reportJson);
    }

    /** Writes only the report (or a preview) to FILE.report.json; returns its path. */
    Path writeReport(byte[] reportJson) throws IOException {
        Path report = out.resolveSibling(out.getFileName() + ".report.json");
        Files.write(report, reportJson);
        return report;
    }
}
