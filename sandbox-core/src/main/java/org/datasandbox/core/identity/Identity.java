package org.datasandbox.core.identity;

import java.util.Objects;

/**
 * A real-name caller: the name and role from its certificate, and the certificate serial that the
 * ledger records as proof of who acted.
 */
public record Identity(String name, Role role, String certificateSerial) {

    public Identity {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(certificateSerial, "certificateSerial");
        if (name.isBlank()) {
            throw new IllegalArgumentException("an identity needs a real name");
        }
    }

    /** The sandbox itself, for entries it writes on its own behalf. */
    public static Identity system() {
        return new Identity("data-sandbox", Role.ADMIN, "system");
    }

    @Override
    public String toString() {
        return name + " (" + role.label() + ")";
    }
}
