package org.datasandbox.api.cli;

import java.nio.file.Path;
import org.datasandbox.core.config.SandboxConfig;
import picocli.CommandLine.Option;

/** The CSV originals a command works on without a server, and the Spark that reads them. */
final class CsvFolderOptions {
    @Option(names = "--data", required = true, description = "Folder with one CSV per table, named <table>.csv.")
    Path dataDir;

    @Option(names = "--spark-master", defaultValue = "local[*]", description = "Spark master URL (default: ${DEFAULT-VALUE}).")
    String sparkMaster;

    /** A throw-away sandbox under {@code work}. */
    SandboxConfig config(Path work) {
        return SandboxConfig.embedded(work).withSparkMaster(sparkMaster);
    }
}
