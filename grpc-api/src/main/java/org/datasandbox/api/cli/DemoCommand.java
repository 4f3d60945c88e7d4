package org.datasandbox.api.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.datasandbox.api.demo.DemoRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sandbox demo}: the whole flow on the embedded default. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the end-to-end demo on an embedded server: every role in turn.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--data-dir", description = "Data directory (default: a new temporary directory).")
    Path dataDir;

    @Option(names = "--residents", defaultValue = "20000", description = "Synthetic residents to generate (default: ${DEFAULT-VALUE}).")
    int residents;

    @Option(names = "--examples", description = "The examples folder (default: the one next to the launcher).")
    Path examples;

    @Option(names = "--spark-master", defaultValue = "local[*]", description = "Spark master URL (default: ${DEFAULT-VALUE}).")
    String sparkMaster;

    @Override
    public Integer call() throws Exception {
        Path dir = dataDir != null ? dataDir.toAbsolutePath() : Files.createTempDirectory("data-sandbox-demo-");
        return new DemoRunner(dir, examplesFolder(), residents, sparkMaster, System.out).run();
    }

    private Path examplesFolder() {
        if (examples != null) {
            return examples;
        }
        String home = System.getProperty("sandbox.home");
        if (home != null && Files.isDirectory(Path.of(home, "examples"))) {
            return Path.of(home, "examples");
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("examples").resolve("policies"))) {
                return p.resolve("examples");
            }
        }
        throw new IllegalStateException("the examples folder was not found; pass --examples");
    }
}
