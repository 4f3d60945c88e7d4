package org.datasandbox.api.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.batch.BatchRunner;
import org.datasandbox.core.storage.EncryptedParquet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code sandbox preview-sample}: what a sample of a table would look like under a policy folder, from CSV
 * originals in a throw-away sandbox, with its report. For providers and compliance staff checking masks
 * and synthetic fidelity before anything is registered.
 */
@Command(name = "preview-sample", mixinStandardHelpOptions = true,
        description = "Make a masked or synthetic sample of a CSV table under a policy folder, offline; write it and its report.")
final class PreviewSampleCommand implements Callable<Integer> {

    @Mixin
    PolicyFolderOptions folder;

    @Mixin
    CsvFolderOptions originals;

    @Mixin
    SampleOptions sample;

    @Override
    public Integer call() throws Exception {
        Path work = Files.createTempDirectory("data-sandbox-preview-");
        try (BatchRunner runner = BatchRunner.open(folder.policyDir, originals.dataDir, folder.scenario(), originals.config(work))) {
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
