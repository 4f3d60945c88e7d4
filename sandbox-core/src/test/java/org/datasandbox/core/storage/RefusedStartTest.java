package org.datasandbox.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.TestSandbox;
import org.datasandbox.core.config.SandboxConfig;
import org.datasandbox.core.ledger.LedgerEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start that a late step refuses (here Spark, already running in this JVM with another master) gives back what
 * it opened: the key vault is no longer registered, the ledger's tail was signed (no crash repair at the next
 * start), and the data directory's lock is free for the next open.
 */
class RefusedStartTest {
    @TempDir
    Path dir;

    @Test
    void open_sparkSettingRefused_closesLedgerVaultAndLockThenNextOpenWorks() throws Exception {
        TestSandbox.get(); // Spark runs with the default master
        SandboxConfig refused = SandboxConfig.embedded(dir).withSampleRows(50).withSparkMaster("local[1]");

        assertThatThrownBy(() -> Sandbox.open(refused)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Spark is already running");

        String vaultId = Files.readString(dir.resolve("keys").resolve("vault.id")).trim();
        assertThat(KeyVault.byId(vaultId)).as("the vault of the refused start").isEmpty();
        try (Sandbox sandbox = Sandbox.open(SandboxConfig.embedded(dir).withSampleRows(50))) {
            assertThat(KeyVault.byId(vaultId)).isPresent();
            assertThat(sandbox.ledger().entries()).extracting(LedgerEntry::action)
                    .as("the refused start signed its ledger tail when it closed").doesNotContain("ledger.tail.signed")
                    .contains("sandbox.opened");
        }
        assertThat(KeyVault.byId(vaultId)).as("closed with its sandbox").isEmpty();
    }
}
