package org.datasandbox.masking.function;

import org.datasandbox.masking.MaskingException;

/**
 * Bounded noise for numbers: adds a keyed, uniformly distributed offset in {@code [-bound, bound]} (then
 * rounds integers). The offset is derived from the value and the key, so a sample is the same at every
 * run and nobody without the key can subtract the noise. This is masking for samples, not differential
 * privacy: equal values get equal offsets.
 */
public final class KeyedNoise implements NumberMask {
    private static final long serialVersionUID = 1L;

    private final KeyedHash hash;
    private final double bound;

    public KeyedNoise(byte[] key, KeyedPseudonym.Algorithm algorithm, double bound) {
        if (!(bound > 0) || !Double.isFinite(bound)) {
            throw new MaskingException("noise: bound must be > 0. Provided value: " + bound);
        }
        this.hash = new KeyedHash(key, algorithm);
        this.bound = bound;
    }

    /** The largest offset: what a masked value says about the original is at most this far off. */
    public double bound() {
        return bound;
    }

    @Override
    public String name() {
        return "noise";
    }

    @Override
    public Object mask(Object value) {
        if (value == null) {
            return null;
        }
        double d = ((Number) value).doubleValue();
        if (!Double.isFinite(d)) {
            return null;
        }
        byte[] mac = hash.mac("noise:" + value);
        long bits = 0;
        for (int i = 0; i < 7; i++) {
            bits = (bits << 8) | (mac[i] & 0xff);
        }
        double unit = (double) bits / (1L << 56); // uniform in [0, 1)
        double noisy = d + (2 * unit - 1) * bound;
        if (value instanceof Integer) {
            return (int) Math.round(noisy);
        }
        if (value instanceof Long) {
            return Math.round(noisy);
        }
        return noisy;
    }
}
