package org.datasandbox.core.custody;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Something that happened to a working key, for the ledger: which key, what happened, in which custody.
 * Carries names only, never key material.
 *
 * @param action one of {@link #ACTIONS}
 * @param key {@code master}, {@code ledger}, {@code server} or {@code ca}
 * @param custody {@code sealed-keystore}, {@code pkcs11} or {@code ca-keystore}
 */
public record KeyEvent(String action, String key, String custody) {
    public static final Set<String> ACTIONS = Set.of("key.created", "key.loaded", "key.migrated", "key.rotated");

    public KeyEvent {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(custody, "custody");
        if (!ACTIONS.contains(action)) {
            throw new IllegalArgumentException("action must be one of " + ACTIONS + ". Provided value: " + action);
        }
    }

    public Map<String, String> details() {
        return Map.of("custody", custody);
    }
}
