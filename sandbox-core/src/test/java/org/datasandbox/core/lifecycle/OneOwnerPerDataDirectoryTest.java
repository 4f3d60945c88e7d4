package org.datasandbox.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.TestSandbox;
import org.datasandbox.core.config.SandboxConfig;
import org.datasandbox.core.identity.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two sandboxes on one data directory would fork its ledger chain: the second open is refused. */
class OneOwnerPerDataDirectoryTest {
    @TempDir
    Path dir;

    private SandboxConfig config() {
        return SandboxConfig.embedded(dir).withSampleRows(50);
    }

    @Test
    void open_directoryHeldByAnOpenSandbox_refusedUntilItCloses() throws Exception {
        TestSandbox.get(); // the shared Spark context, as every sandbox of this JVM uses it
        Sandbox first = Sandbox.open(config());
        long entries = first.ledger().size();
        try {
            assertThatThrownBy(() -> Sandbox.open(config()))
                    .isInstanceOf(DataDirectoryInUseException.class)
                    .hasMessageContaining(dir.toString());
            assertThat(first.ledger().size()).as("the refused open wrote nothing").isEqualTo(entries);
            assertThat(first.verifyLedger(TestSandbox.as(Role.AUDITOR)).valid()).isTrue();
        } finally {
            first.close();
        }
        try (Sandbox again = Sandbox.open(config())) {
            assertThat(again.verifyLedger(TestSandbox.as(Role.AUDITOR)).valid()).isTrue();
            assertThatThrownBy(() -> Sandbox.open(config())).isInstanceOf(DataDirectoryInUseException.class);
        }
    }
}
