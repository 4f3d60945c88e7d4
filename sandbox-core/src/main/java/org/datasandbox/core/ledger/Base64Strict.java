package org.datasandbox.core.ledger;

import java.util.Base64;

/** Base64 that accepts exactly one text per value: a signature whose unused bits changed is a change. */
final class Base64Strict {

    private Base64Strict() {
    }

    /** The decoded bytes, or null unless {@code text} is the canonical encoding of them. */
    static byte[] decode(String text) {
        try {
            byte[] bytes = Base64.getDecoder().decode(text);
            return Base64.getEncoder().encodeToString(bytes).equals(text) ? bytes : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
