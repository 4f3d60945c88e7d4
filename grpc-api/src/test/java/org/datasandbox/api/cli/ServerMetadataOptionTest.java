package org.datasandbox.api.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code server --metadata-url}: anything but a PostgreSQL JDBC URL is refused before anything starts. */
class ServerMetadataOptionTest {
    @TempDir
    Path dir;

    @Test
    void server_metadataUrlNotPostgresql_isNotStartedAndTheUrlIsNotRepeated() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = new CommandLine(new SandboxCli()).execute("server", "--data-dir", dir.resolve("data").toString(),
                    "--metadata-url", "jdbc:mysql://db/meta?password=hunter2");
        } finally {
            System.setErr(original);
        }
        String err = captured.toString(StandardCharsets.UTF_8);
        assertThat(code).as(err).isEqualTo(2);
        assertThat(err).contains("Not started").contains("jdbc:postgresql:").doesNotContain("hunter2");
        assertThat(Files.exists(dir.resolve("data").resolve("ledger"))).isFalse();
    }
}
