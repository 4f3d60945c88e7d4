package org.datasandbox.api.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.batch.BatchRunner;
import org.datasandbox.core.config.SandboxConfig;
import org.datasandbox.core.storage.EncryptedParquet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sandbox preview-sample}: what a sample of a table would look like under a policy folder, from CSV
 * originals in a throw-away sandbox, with its report. For providers and compliance staff checking masks
 * and synthetic fidelity before anything is registered.
 */
@Command(name = "preview-sample", mixinStandardHelpOptions = true,
        description = "Make a masked or synthetic sample of a CSV table under a policy folder, offline; write it and its report.")
final class PreviewSampleCommand implements Callable<Integer> {

    @Option(names = "--policy", required = true, description = "Folder of table policies and scenarios (YAML).")
    Path policyDir;

    @Option(names = "--data", required = true, description = "Folder with one CSV per table, named <table>.csv.")
    Path dataDir;

    @Option(names = "--table", required = true, description = "The table to sample.")
    String table;

    @Option(names = "--kind", defaultValue = "masked", description = "masked or synthetic (default: ${DEFAULT-VALUE}).")
    String kind;

    @Option(names = "--format", defaultValue = "csv", description = "arrow, parquet or csv (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--rows", defaultValue = "1000", description = "At most this many rows, up to 10,000 (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--scenario", description = "Scenario id (default: the folder's only one, or all tables).")
    String scenario;

    @Option(names = "--out", required = true, description = "File to write; the report goes to FILE.report.json.")
    Path out;

    @Override
    public Integer call() throws Exception {
        Path work = Files.createTempDirectory("data-sandbox-preview-");
        try (BatchRunner runner = BatchRunner.open(policyDir, dataDir, Optional.ofNullable(scenario), SandboxConfig.embedded(work))) {
            Sandbox.SampleDownload sample = runner.sample(table, kind, format, rows);
            Files.write(out, sample.data());
            Path report = out.resolveSibling(out.getFileName() + ".report.json");
            Files.write(report, sample.reportJson());
            System.out.printf("%s: %,d rows of a %s sample of %s; report in %s%n", out, sample.rows(), sample.kind().label(),
                    table, report);
            return 0;
        } finally {
            EncryptedParquet.deleteRecursively(work);
        }
    }
}
