package org.datasandbox.core.identity;

import java.util.Locale;
import java.util.Optional;

/** The roles of DESIGN.md; a certificate carries exactly one. */
public enum Role {
    PROVIDER,
    ADMIN,
    DEVELOPER,
    REVIEWER,
    AUDITOR;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (Role role : values()) {
            if (role.label().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
