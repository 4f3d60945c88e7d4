package org.datasandbox.masking.function;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.datasandbox.masking.MaskingException;

/**
 * Replaces a value with a keyed HMAC of it, so that equal values stay equal (joins work) while nobody
 * without the key can link a pseudonym back to the value. Strings become {@code prefix + 32 hex digits};
 * integers become a non-negative {@code long}, so key columns keep a numeric type. Integers are hashed
 * in their decimal form, so an {@code INT} key and a {@code BIGINT} key with the same value still join.
 */
public final class KeyedPseudonym implements MaskingFunction {
    private static final long serialVersionUID = 1L;

    /** The HMAC hash: SM3 by default, SHA-256 for the international crypto profile. */
    public enum Algorithm {
        SM3,
        SHA256
    }

    private final byte[] key;
    private final Algorithm algorithm;
    private final String prefix;
    private transient ThreadLocal<HMac> macs;

    public KeyedPseudonym(byte[] key, Algorithm algorithm, String prefix) {
        if (key == null || key.length < 16) {
            throw new MaskingException("pseudonym: the key must have at least 16 bytes");
        }
        if (algorithm == null || prefix == null) {
            throw new MaskingException("pseudonym: algorithm and prefix are required");
        }
        this.key = key.clone();
        this.algorithm = algorithm;
        this.prefix = prefix;
    }

    @Override
    public String name() {
        return "pseudonym";
    }

    @Override
    public ValueType outputType(ValueType input) {
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
            byte[] mac = mac(s);
            return prefix + HexFormat.of().formatHex(mac, 0, 16);
        }
        if (value instanceof Integer || value instanceof Long) {
            byte[] mac = mac(value.toString());
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (mac[i] & 0xff);
            }
            return v & Long.MAX_VALUE;
        }
        throw new MaskingException("pseudonym applies to string and integer values");
    }

    private byte[] mac(String value) {
        HMac mac = macs().get();
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        mac.update(bytes, 0, bytes.length);
        byte[] out = new byte[mac.getMacSize()];
        mac.doFinal(out, 0); // doFinal also resets the MAC for the next value
        return out;
    }

    private ThreadLocal<HMac> macs() {
        ThreadLocal<HMac> local = macs;
        if (local == null) {
            local = ThreadLocal.withInitial(() -> {
                Digest digest = algorithm == Algorithm.SM3 ? new SM3Digest() : new SHA256Digest();
                HMac mac = new HMac(digest);
                mac.init(new KeyParameter(key));
                return mac;
            });
            macs = local;
        }
        return local;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyedPseudonym other
                && Arrays.equals(key, other.key) && algorithm == other.algorithm && prefix.equals(other.prefix);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key) * 31 + algorithm.hashCode();
    }

    @Override
    public String toString() {
        return "KeyedPseudonym[" + algorithm + "]"; // never the key
    }
}
