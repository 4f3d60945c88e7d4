package org.datasandbox.core.sample;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Objects;

/**
 * A test's scenario keys: a fixed key at epoch 0 for each scenario given (so that a test of a sample's content is
 * one repeatable draw, not a fresh random key per run), the production source for every other scenario or epoch.
 */
public record FixedScenarioKeys(Map<String, byte[]> epochZero, ScenarioKeySource otherwise) implements ScenarioKeySource {
    public FixedScenarioKeys {
        epochZero = Map.copyOf(Objects.requireNonNull(epochZero, "epochZero"));
        Objects.requireNonNull(otherwise, "otherwise");
    }

    @Override
    public byte[] key(String scenario, int epoch) {
        byte[] fixed = epoch == 0 ? epochZero.get(scenario) : null;
        return fixed != null ? fixed.clone() : otherwise.key(scenario, epoch);
    }

    /** A 32-byte key derived from a label: a test's fixed key, the same in every run. */
    public static byte[] derived(String label) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(label.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
