package org.datasandbox.api.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.datasandbox.core.config.SparkSettings;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code sandbox server}'s Spark options become the sandbox's {@link SparkSettings}. */
class ServerSparkOptionsTest {

    private static ServerCommand parse(String... args) {
        ServerCommand command = new ServerCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void sparkSettings_noOptions_isTheEmbeddedLoopbackDefault() {
        assertThat(parse().sparkSettings()).isEqualTo(SparkSettings.LOOPBACK);
    }

    @Test
    void sparkSettings_clusterOptions_reachTheSettings() {
        ServerCommand command = parse("--spark-master", "spark://spark-master:7077", "--spark-driver-host", "10.0.0.5",
                "--spark-bind-address", "0.0.0.0", "--spark-driver-port", "7078", "--spark-block-manager-port", "7079",
                "--spark-secret-file", "/etc/datasandbox/spark.secret",
                "--spark-conf", "spark.executor.memory=8g", "--spark-conf", "spark.executor.cores=4");
        assertThat(command.sparkMaster).isEqualTo("spark://spark-master:7077");
        assertThat(command.sparkSettings()).isEqualTo(new SparkSettings("10.0.0.5", "0.0.0.0", 7078, 7079,
                Optional.of(Path.of("/etc/datasandbox/spark.secret")),
                Map.of("spark.executor.memory", "8g", "spark.executor.cores", "4")));
    }

    @Test
    void sparkSettings_confOverridingAProtection_isRefused() {
        ServerCommand command = parse("--spark-conf", "spark.network.crypto.enabled=false");
        assertThatThrownBy(command::sparkSettings).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the sandbox sets spark.network.crypto.enabled itself");
    }

    @Test
    void call_refusedSparkSetting_doesNotStartAndSaysWhy(@org.junit.jupiter.api.io.TempDir Path dir) {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.err;
        int code;
        try {
            System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
            code = new CommandLine(new ServerCommand()).execute("--data-dir", dir.resolve("data").toString(),
                    "--spark-conf", "spark.ui.enabled=true");
        } finally {
            System.setErr(saved);
        }
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("Not started: the sandbox sets spark.ui.enabled itself");
    }
}
