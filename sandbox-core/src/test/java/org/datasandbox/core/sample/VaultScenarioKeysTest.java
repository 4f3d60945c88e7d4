package org.datasandbox.core.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.custody.MasterKey;
import org.datasandbox.core.storage.KeyVault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaultScenarioKeysTest {
    private static final CryptoProfile CRYPTO = CryptoProfile.of(CryptoProfile.Kind.SM);

    @TempDir
    Path dir;

    @Test
    void key_sameScenarioAndEpoch_isTheSameKey_otherScenarioOrEpoch_another() throws IOException {
        KeyVault vault = KeyVault.open(dir.resolve("keys"), CRYPTO, MasterKey.inMemory(CRYPTO, CRYPTO.newSymmetricKey()));
        VaultScenarioKeys keys = new VaultScenarioKeys(vault, CRYPTO);

        byte[] first = keys.key("public-health", 0);
        assertThat(first).hasSizeGreaterThanOrEqualTo(16);
        assertThat(keys.key("public-health", 0)).isEqualTo(first);
        assertThat(keys.key("public-health", 1)).isNotEqualTo(first);
        assertThat(keys.key("clinic-study", 0)).isNotEqualTo(first);
        // a fresh draw per sandbox: another vault gives the scenario another key
        KeyVault other = KeyVault.open(Files.createDirectories(dir.resolve("other")), CRYPTO,
                MasterKey.inMemory(CRYPTO, CRYPTO.newSymmetricKey()));
        assertThat(new VaultScenarioKeys(other, CRYPTO).key("public-health", 0)).isNotEqualTo(first);
        vault.close();
        other.close();
    }

    @Test
    void keyName_epochZero_isTheNameKeysHadBeforeEpochs_andNamesNoScenario() {
        // golden: stored samples keep their pseudonyms only while epoch 0 keeps this name
        assertThat(VaultScenarioKeys.keyName(CRYPTO, "public-health", 0)).isEqualTo("pseudonyms_7e853470433848f2c9378bcc");
        assertThat(VaultScenarioKeys.keyName(CRYPTO, "public-health", 1)).isEqualTo("pseudonyms_710e2da083e919bad69c98fc")
                .doesNotContain("public");
    }
}
