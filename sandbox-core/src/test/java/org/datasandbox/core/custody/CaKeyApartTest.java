package org.datasandbox.core.custody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.TestSandbox;
import org.datasandbox.core.config.KeySettings;
import org.datasandbox.core.config.SandboxConfig;
import org.datasandbox.core.crypto.Pem;
import org.datasandbox.core.identity.CertificateAuthority;
import org.datasandbox.core.identity.CertificateSerial;
import org.datasandbox.core.identity.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CA key is needed to issue and revoke, not to serve: the server starts and runs without it. */
class CaKeyApartTest {
    @TempDir
    Path root;

    @Test
    void server_withoutTheCaKeystore_servesAndSignsNothingWhileTheCaToolRevokes() throws Exception {
        TestSandbox.get();
        Path data = root.resolve("data");
        KeySettings keys = KeySettings.beside(data);
        try (Sandbox first = Sandbox.open(SandboxConfig.embedded(data))) {
            assertThat(first.authority().canSign()).as("even on first start the CA key is not kept for serving").isFalse();
        }
        assertThat(keys.caKeystore()).exists();
        assertThat(keys.caKeystore().startsWith(data)).isFalse();
        Path away = root.resolve("offline-ca.bcfks");
        Files.move(keys.caKeystore(), away);

        var developer = Pem.readCertificate(org.datasandbox.core.identity.PkiLayout.under(data).clientCertificate(Role.DEVELOPER));
        CertificateSerial serial = new CertificateSerial(developer.getSerialNumber());
        try (Sandbox serving = Sandbox.open(SandboxConfig.embedded(data))) {
            assertThat(serving.authority().canSign()).isFalse();
            assertThat(serving.authority().identityOf(developer)).isPresent();
            assertThatThrownBy(() -> serving.authority().revoke(serial)).hasMessageContaining("CA key is not available");

            CertificateAuthority caTool = CertificateAuthority.openOrCreate(serving.authority().layout(),
                    new SealedCaKeyStore(away, new KeyFile(keys.keyFile())));
            assertThat(caTool.canSign()).isTrue();
            assertThat(caTool.revoke(serial)).isTrue();
            assertThat(serving.authority().identityOf(developer)).as("the server reads the list the CA tool signed").isEmpty();
            assertThat(serving.ledger().entries()).anyMatch(e -> e.action().equals("certificate.revoked"));
            assertThat(serving.ledger().entries()).filteredOn(e -> e.action().startsWith("key."))
                    .extracting(e -> e.action() + " " + e.subject() + " " + e.details().get("custody"))
                    .contains("key.created ca ca-keystore", "key.created master sealed-keystore",
                            "key.created ledger sealed-keystore", "key.created server sealed-keystore",
                            "key.loaded master sealed-keystore", "key.loaded ledger sealed-keystore",
                            "key.loaded server sealed-keystore");
            assertThat(serving.ledger().entries()).filteredOn(e -> e.action().startsWith("key"))
                    .allSatisfy(e -> assertThat(e.details().values())
                    .noneMatch(v -> v.length() >= 40 && v.matches("[A-Za-z0-9+/=]+")));
        }
    }

    @Test
    void open_keyFileInsideTheDataDirectory_isRefused() {
        Path data = root.resolve("inside");
        assertThatThrownBy(() -> Sandbox.open(SandboxConfig.embedded(data)
                .withKeys(KeySettings.keyFile(data.resolve("sandbox.key")))))
                .isInstanceOf(KeyCustodyException.class).hasMessageContaining("inside the data directory");
    }

}
