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
import picocli.CommandLine.Mixin;
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

    @Option(names = "--scenario", description = "Scenario id (default: the folder's only one, or all tables).")
    String scenario;

    @Mixin
    SampleOptions sample;

    @Override
    public Integer call() throws Exception {
        Path work = Files.createTempDirectory("data-sandbox-preview-");
        try (BatchRunner runner = BatchRunner.open(policyDir, dataDir, Optional.ofNullable(scenario), SandboxConfig.embedded(work))) {
            Sandbox.SampleDownload download = runner.sample(sample.table, sample.kind, sample.format, sample.rows);
            Path report = sample.write(download.data(), download.reportJson());
            System.out.printf("%s: %,d rows of a %s sample of %s; report in %s%n", sample.out, download.rows(),
                    download.kind().label(), sample.table, report);
            return 0;
        } finally {
            EncryptedParquet.deleteRecursively(work);
        }
    }
}
