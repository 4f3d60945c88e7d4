package org.datasandbox.api.flight;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rule: the sandbox writes nothing to stderr that it did not log. Arrow Flight prints a stack trace once per JVM
 * when its zero-copy writer first loads without the unshaded grpc-netty; a test JVM has long loaded it, so the
 * round trip runs in a fresh JVM ({@link QuietRoundTrip}) whose stderr is read whole.
 */
class FlightStderrTest {
    @TempDir
    Path workDir; // the child's relative log file stays out of this module's target

    @Test
    void roundTrip_freshJvm_writesNothingToStderr() throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (argument.startsWith("--add-opens") || argument.startsWith("--add-exports")) {
                command.add(argument);
            }
        }
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(QuietRoundTrip.class.getName());
        Path out = workDir.resolve("stdout");
        Path err = workDir.resolve("stderr");
        Process child = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();

        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(child.exitValue()).as(stderr).isZero();
        assertThat(Files.readString(out, StandardCharsets.UTF_8)).contains("rows=3");
        assertThat(stderr).isEmpty();
    }
}
