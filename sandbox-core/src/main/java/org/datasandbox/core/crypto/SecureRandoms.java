package org.datasandbox.core.crypto;

import java.security.SecureRandom;

/**
 * The one {@link SecureRandom} of the process, for keys, nonces, serials and identifiers: seeded once by
 * the JVM, thread-safe, and never reseeded per call (creating one per use costs a seeding each time).
 */
public final class SecureRandoms {
    private static final SecureRandom SHARED = new SecureRandom();

    private SecureRandoms() {
    }

    public static SecureRandom shared() {
        return SHARED;
    }

    /** {@code bytes} random bytes as lower-case hex: job ids and error references. */
    public static String hex(int bytes) {
        byte[] value = new byte[bytes];
        SHARED.nextBytes(value);
        return java.util.HexFormat.of().formatHex(value);
    }
}
