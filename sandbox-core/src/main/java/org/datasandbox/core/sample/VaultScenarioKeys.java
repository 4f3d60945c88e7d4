package org.datasandbox.core.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Objects;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.storage.KeyVault;

/**
 * The production scenario keys: secrets of the key vault, created on first use and destroyed with the scenario
 * ({@link SampleService#shred}). The vault's key name is a hash of the scenario and epoch, so key names tell
 * nothing of the scenario's id.
 */
public final class VaultScenarioKeys implements ScenarioKeySource {
    private final KeyVault vault;
    private final CryptoProfile crypto;

    public VaultScenarioKeys(KeyVault vault, CryptoProfile crypto) {
        this.vault = Objects.requireNonNull(vault, "vault");
        this.crypto = Objects.requireNonNull(crypto, "crypto");
    }

    @Override
    public byte[] key(String scenario, int epoch) {
        try {
            return vault.secret(keyName(crypto, scenario, epoch));
        } catch (IOException e) {
            throw new IllegalStateException("the scenario's pseudonym key is unavailable", e);
        }
    }

    /**
     * The vault's name of a scenario's key of an epoch. Epoch 0 keeps the name keys had before epochs, so existing
     * samples keep their pseudonyms.
     */
    static String keyName(CryptoProfile crypto, String scenario, int epoch) {
        String label = epoch == 0 ? "scenario/" + scenario : "scenario/" + scenario + "/epoch/" + epoch;
        return "pseudonyms_" + HexFormat.of().formatHex(crypto.hash(label.getBytes(StandardCharsets.UTF_8))).substring(0, 24);
    }
}
