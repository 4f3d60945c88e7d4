package org.datasandbox.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.custody.KeyEvent;
import org.datasandbox.core.custody.KeyFile;
import org.datasandbox.core.custody.SealedKeyStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rotating the master key keeps every data key (the same bytes open under the new master key), retires the
 * old master key, and a rotation cut off before it commits leaves the old key and every data key working.
 */
class MasterKeyRotationTest {
    private static final CryptoProfile SM = CryptoProfile.of(CryptoProfile.Kind.SM);

    @TempDir
    Path root;

    @Test
    void rotate_everyDataKeyKeptAndTheOldMasterRetired() throws Exception {
        Path data = root.resolve("data");
        KeyFile keyFile = new KeyFile(root.resolve("secrets/sandbox.key"));
        SealedKeyStore custody = SealedKeyStore.open(data, keyFile);
        var oldMaster = custody.masterKey(SM);
        KeyVault vault = KeyVault.open(data.resolve("keys"), SM, oldMaster);
        byte[] a = vault.secret("dataset_a");
        byte[] b = vault.secret("dataset_b");

        KeyVault rotated = KeyVault.open(data.resolve("keys"), SM, SealedKeyStore.open(data, keyFile), true);
        assertThat(rotated.secret("dataset_a")).isEqualTo(a);
        assertThat(rotated.secret("dataset_b")).isEqualTo(b);
        // a restart loads the new master key from the keystore and reads the same keys
        SealedKeyStore restarted = SealedKeyStore.open(data, keyFile);
        KeyVault again = KeyVault.open(data.resolve("keys"), SM, restarted, false);
        assertThat(again.secret("dataset_a")).isEqualTo(a);
        // the old master key opens none of the re-sealed files
        KeyVault stale = KeyVault.open(data.resolve("keys"), SM, oldMaster);
        assertThatThrownBy(() -> stale.secret("dataset_a")).isInstanceOf(IOException.class);
        try (var files = Files.list(data.resolve("keys/datasets"))) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("dataset_a.key", "dataset_b.key");
        }
    }

    @Test
    void rotate_cutOffBeforeTheCommit_leavesTheOldMasterKeyAndEveryDataKey() throws Exception {
        Path data = root.resolve("data");
        KeyFile keyFile = new KeyFile(root.resolve("secrets/sandbox.key"));
        SealedKeyStore custody = SealedKeyStore.open(data, keyFile);
        KeyVault vault = KeyVault.open(data.resolve("keys"), SM, custody, false);
        byte[] a = vault.secret("dataset_a");

        // the crash: the data keys are re-sealed, the process dies before the keystore takes the new key
        assertThatThrownBy(() -> custody.rotateMasterKey(SM, (current, next) -> {
            KeyVault.reseal(data.resolve("keys"), current, next);
            throw new IOException("killed");
        })).hasMessage("killed");
        assertThat(data.resolve("keys/datasets/dataset_a.key.next")).exists();

        SealedKeyStore restarted = SealedKeyStore.open(data, keyFile);
        KeyVault after = KeyVault.open(data.resolve("keys"), SM, restarted, false);
        assertThat(after.secret("dataset_a")).isEqualTo(a);
        assertThat(data.resolve("keys/datasets/dataset_a.key.next")).as("the uncommitted files are gone").doesNotExist();
        assertThat(restarted.drainEvents()).extracting(KeyEvent::action).doesNotContain("key.rotated");
    }

    @Test
    void rotate_recordsTheRotation() throws Exception {
        Path data = root.resolve("data");
        KeyFile keyFile = new KeyFile(root.resolve("secrets/sandbox.key"));
        SealedKeyStore custody = SealedKeyStore.open(data, keyFile);
        KeyVault.open(data.resolve("keys"), SM, custody, true);
        List<KeyEvent> events = custody.drainEvents();
        assertThat(events).extracting(KeyEvent::action).endsWith("key.rotated");
    }
}
