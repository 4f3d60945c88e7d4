package org.datasandbox.masking.function;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.datasandbox.masking.MaskingException;

/**
 * HMAC-SM3 or HMAC-SHA-256 under one key, with one MAC instance per thread: the keyed randomness of
 * pseudonyms, tokens and keyed noise. Serializable without its thread-local state, so Spark can ship it.
 */
final class KeyedHash implements Serializable {
    private static final long serialVersionUID = 1L;

    private final byte[] key;
    private final KeyedPseudonym.Algorithm algorithm;
    private transient ThreadLocal<HMac> macs;

    KeyedHash(byte[] key, KeyedPseudonym.Algorithm algorithm) {
        if (key == null || key.length < 16) {
            throw new MaskingException("keyed masking needs a key of at least 16 bytes");
        }
        if (algorithm == null) {
            throw new MaskingException("keyed masking needs an HMAC algorithm");
        }
        this.key = key.clone();
        this.algorithm = algorithm;
    }

    byte[] mac(String value) {
        HMac mac = macs().get();
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        mac.update(bytes, 0, bytes.length);
        byte[] out = new byte[mac.getMacSize()];
        mac.doFinal(out, 0); // also resets the MAC for the next value
        return out;
    }

    /** {@code count} decimal digits derived from the MAC of a value (and a purpose, to separate uses). */
    int[] digits(String purpose, String value, int count) {
        int[] digits = new int[count];
        int produced = 0;
        for (int round = 0; produced < count; round++) {
            for (byte b : mac(purpose + ':' + round + ':' + value)) {
                int unsigned = b & 0xff;
                if (unsigned < 250 && produced < count) { // 250 = 25 * 10: no modulo bias
                    digits[produced++] = unsigned % 10;
                }
            }
        }
        return digits;
    }

    KeyedPseudonym.Algorithm algorithm() {
        return algorithm;
    }

    private ThreadLocal<HMac> macs() {
        ThreadLocal<HMac> local = macs;
        if (local == null) {
            local = ThreadLocal.withInitial(() -> {
                Digest digest = algorithm == KeyedPseudonym.Algorithm.SM3 ? new SM3Digest() : new SHA256Digest();
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
        return o instanceof KeyedHash other && Arrays.equals(key, other.key) && algorithm == other.algorithm;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key) * 31 + algorithm.hashCode();
    }

    @Override
    public String toString() {
        return "KeyedHash[" + algorithm + "]"; // never the key
    }
}
