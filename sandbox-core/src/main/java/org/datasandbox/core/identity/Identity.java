package org.datasandbox.core.identity;

import java.util.Objects;

/**
 * A real-name caller: the name (CN), organization (O) and role (OU) from its certificate, and the certificate
 * serial that the ledger records as proof of who acted. The organization is empty where none is known.
 */
public record Identity(String name, Role role, String certificateSerial, String organization) {

    public Identity {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(certificateSerial, "certificateSerial");
        Objects.requireNonNull(organization, "organization");
        if (name.isBlank()) {
            throw new IllegalArgumentException("an identity needs a real name");
        }
    }

    /** An identity whose organization is not known. */
    public Identity(String name, Role role, String certificateSerial) {
        this(name, role, certificateSerial, "");
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
