package org.datasandbox.masking.function;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.fpe.FPEFF1Engine;
import org.bouncycastle.crypto.params.FPEParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.datasandbox.masking.MaskingException;

/**
 * Format-preserving encryption with FF1 (NIST SP 800-38G) from Bouncy Castle: the digits of a value
 * after {@code keepPrefix} characters are encrypted into other digits, so {@code 13812345678} becomes
 * {@code 138} and eight other digits. SM4 is the block cipher in the SM profile, AES otherwise; the key is
 * per scenario. Values with fewer than 6 digits to encrypt (below FF1's minimum domain) or with
 * non-digits in that part are masked whole.
 */
public final class Ff1Mask implements StringMask {
    private static final long serialVersionUID = 1L;
    private static final int MIN_DIGITS = 6;

    private final byte[] key;
    private final KeyedPseudonym.Algorithm profile;
    private final int keepPrefix;
    private final byte[] tweak;
    private transient ThreadLocal<FPEFF1Engine> engines;

    public Ff1Mask(byte[] key, KeyedPseudonym.Algorithm profile, int keepPrefix, String tweak) {
        if (key == null || key.length != 16 && key.length != 32) {
            throw new MaskingException("ff1 needs a 128- or 256-bit key");
        }
        if (keepPrefix < 0) {
            throw new MaskingException("ff1: keep_prefix must be >= 0");
        }
        this.key = profile == KeyedPseudonym.Algorithm.SM3 ? Arrays.copyOf(key, 16) : key.clone();
        this.profile = profile;
        this.keepPrefix = keepPrefix;
        this.tweak = (tweak == null ? "" : tweak).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String name() {
        return "ff1";
    }

    @Override
    public String maskText(String s) {
        int digits = s.length() - keepPrefix;
        if (digits < MIN_DIGITS) {
            return Strings.stars(s.length());
        }
        byte[] plain = new byte[digits];
        for (int i = 0; i < digits; i++) {
            char c = s.charAt(keepPrefix + i);
            if (c < '0' || c > '9') {
                return Strings.stars(s.length());
            }
            plain[i] = (byte) (c - '0');
        }
        byte[] cipher = new byte[digits];
        engines().get().processBlock(plain, 0, digits, cipher, 0);
        char[] out = s.toCharArray();
        for (int i = 0; i < digits; i++) {
            out[keepPrefix + i] = (char) ('0' + cipher[i]);
        }
        return new String(out);
    }

    private ThreadLocal<FPEFF1Engine> engines() {
        ThreadLocal<FPEFF1Engine> local = engines;
        if (local == null) {
            local = ThreadLocal.withInitial(() -> {
                FPEFF1Engine engine = new FPEFF1Engine(profile == KeyedPseudonym.Algorithm.SM3
                        ? new SM4Engine() : AESEngine.newInstance());
                engine.init(true, new FPEParameters(new KeyParameter(key), 10, tweak));
                return engine;
            });
            engines = local;
        }
        return local;
    }

    @Override
    public String toString() {
        return "Ff1Mask[" + (profile == KeyedPseudonym.Algorithm.SM3 ? "SM4" : "AES") + "]"; // never the key
    }
}
