package org.datasandbox.core.custody;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.TestSandbox;
import org.datasandbox.core.config.KeySettings;
import org.datasandbox.core.config.SandboxConfig;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.crypto.Pem;
import org.datasandbox.core.identity.CertificateAuthority;
import org.datasandbox.core.identity.Identity;
import org.datasandbox.core.identity.PkiLayout;
import org.datasandbox.core.ledger.EvidenceLedger;
import org.datasandbox.core.ledger.LedgerVerifier;
import org.datasandbox.core.storage.KeyVault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory of the layout before key custody (every key in clear beside the data) opens once more:
 * its keys move into custody, their files are destroyed, the ledger says so, and what they protected
 * (a sealed data key, the ledger chain, the CA) still works with the keys in their new place.
 */
class LegacyLayoutMigrationTest {
    private static final CryptoProfile SM = CryptoProfile.of(CryptoProfile.Kind.SM);

    @TempDir
    Path root;

    @Test
    void open_oldLayout_movesEveryKeyIntoCustodyOnceAndRecordsIt() throws Exception {
        TestSandbox.get();
        Path data = root.resolve("data");
        // the old layout, written the way the earlier version wrote it
        Path keys = Files.createDirectories(data.resolve("keys").resolve("datasets"));
        byte[] master = SM.newSymmetricKey();
        Files.write(data.resolve("keys/master.key"), master);
        String vaultId = UUID.randomUUID().toString();
        Files.writeString(data.resolve("keys/vault.id"), vaultId);
        byte[] dataKey = SM.newSymmetricKey();
        Files.write(keys.resolve("dataset_old.key"), SM.seal(master, dataKey,
                (vaultId + "/dataset_old").getBytes(StandardCharsets.UTF_8)));
        EvidenceLedger old = EvidenceLedger.open(data.resolve("ledger"), SM); // ledger.key in the ledger directory
        old.append(Identity.system(), "sandbox.opened", "sandbox", Map.of());
        CertificateAuthority ca = CertificateAuthority.openOrCreate(PkiLayout.under(data)); // pki/ca.key
        Pem.writePrivateKey(PkiLayout.under(data).serverKey(), ca.issueServer().key());
        assertThat(LegacyKeys.present(data)).hasSize(4);

        KeySettings settings = KeySettings.beside(data);
        try (Sandbox sandbox = Sandbox.open(SandboxConfig.embedded(data))) {
            assertThat(sandbox.ledger().entries()).filteredOn(e -> e.action().equals("keys.migrated")).singleElement()
                    .satisfies(e -> assertThat(e.details().get("files").split(",")).containsExactlyInAnyOrder(
                            "keys/master.key", "ledger/ledger.key", "pki/server.key", "pki/ca.key"));
        }
        assertThat(LegacyKeys.present(data)).isEmpty();
        assertThat(LedgerVerifier.verify(data.resolve("ledger")).valid()).isTrue();

        // the data key sealed by the old master key opens with the master key now in custody
        SealedKeyStore custody = SealedKeyStore.open(data, new KeyFile(settings.keyFile()));
        assertThat(KeyVault.open(data.resolve("keys"), SM, custody.masterKey(SM)).secret("dataset_old")).isEqualTo(dataKey);
        // the CA key is in the CA keystore, outside the data directory
        assertThat(CertificateAuthority.openOrCreate(PkiLayout.under(data),
                new SealedCaKeyStore(settings.caKeystore(), new KeyFile(settings.keyFile()))).canSign()).isTrue();

        // a second start migrates nothing more
        try (Sandbox again = Sandbox.open(SandboxConfig.embedded(data))) {
            assertThat(again.ledger().entries()).filteredOn(e -> e.action().equals("keys.migrated")).hasSize(1);
        }
    }
}
