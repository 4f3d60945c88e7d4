package org.datasandbox.masking.function;

import java.util.HexFormat;
import org.datasandbox.masking.MaskingException;

/**
 * Replaces a value with a keyed HMAC of it, so that equal values stay equal (joins work) while nobody
 * without the key can link a pseudonym back to the value. Strings become {@code prefix + 32 hex digits};
 * integers become a non-negative {@code long}, so key columns keep a numeric type. Integers are hashed
 * in their decimal form, so an {@code INT} key and a {@code BIGINT} key with the same value still join.
 * Keys are per scenario: the same person has unrelated pseudonyms in two scenarios.
 */
public final class KeyedPseudonym implements MaskingFunction {
    private static final long serialVersionUID = 1L;

    /** The HMAC hash: SM3 by default, SHA-256 for the international crypto profile. */
    public enum Algorithm {
        SM3,
        SHA256
    }

    private final KeyedHash hash;
    private final String prefix;

    public KeyedPseudonym(byte[] key, Algorithm algorithm, String prefix) {
        if (prefix == null) {
            throw new MaskingException("pseudonym: prefix is required");
        }
        this.hash = new KeyedHash(key, algorithm);
        this.prefix = prefix;
    }

    @Override
    public String name() {
        return "pseudonym";
    }

    @Override
    public ValueType outputType(ValueType input) {
        return outputTypeOf(input);
    }

    /** The type of the pseudonyms of a column of {@code input} type; the key plays no part. */
    public static ValueType outputTypeOf(ValueType input) {
        return switch (input) {
            case STRING -> ValueType.STRING;
            case INTEGER, LONG -> ValueType.LONG;
            default -> throw new MaskingException("pseudonym applies to string and integer columns, not " + input);
        };
    }

    @Override
    public Object mask(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof String s) {
            return prefix + HexFormat.of().formatHex(hash.mac(s), 0, 16);
        }
        if (value instanceof Integer || value instanceof Long) {
            byte[] mac = hash.mac(value.toString());
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (mac[i] & 0xff);
            }
            return v & Long.MAX_VALUE;
        }
        throw new MaskingException("pseudonym applies to string and integer values");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyedPseudonym other && hash.equals(other.hash) && prefix.equals(other.prefix);
    }

    @Override
    public int hashCode() {
        return hash.hashCode();
    }

    @Override
    public String toString() {
        return "KeyedPseudonym[" + hash.algorithm() + "]"; // never the key
    }
}
