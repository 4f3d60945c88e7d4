package org.datasandbox.dp.noise;

import java.security.SecureRandom;

/**
 * The production {@link RandomSource}: a {@link SecureRandom} read a buffer at a time, handing out only
 * the bits each draw needs. A uniform integer below {@code bound} takes {@code k = bits(bound - 1)} bits
 * and is redrawn when it is not below the bound (fewer than two tries on average), so it stays exactly
 * uniform; the exact samplers mostly ask for one bit or a few, where a whole {@code nextLong} per draw
 * (a lock and a syscall-backed generator each time) cost most of their time. Thread-safe.
 */
final class SecureBits implements RandomSource {
    private static final int BUFFER = 4096;
    /** The module's one SecureRandom: thread-safe, seeded once; each source buffers its own bits from it. */
    static final SecureRandom SHARED = new SecureRandom();

    private final SecureRandom random;
    private final byte[] buffer = new byte[BUFFER];
    private int position = BUFFER;
    private long pool;
    private int poolBits;

    SecureBits(SecureRandom random) {
        this.random = random;
    }

    @Override
    public synchronized long nextLong(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be > 0. Provided value: " + bound);
        }
        if (bound == 1) {
            return 0;
        }
        int bits = 64 - Long.numberOfLeadingZeros(bound - 1);
        while (true) {
            long candidate = bits(bits);
            if (candidate < bound) {
                return candidate;
            }
        }
    }

    /** The next {@code count} (1 to 63) random bits as a non-negative long. */
    private long bits(int count) {
        if (poolBits < count) {
            long fresh = nextWord();
            // keep the pool's remaining bits: take what is left, then the rest from the fresh word
            long low = poolBits == 0 ? 0 : pool & ((1L << poolBits) - 1);
            int fromFresh = count - poolBits;
            long high = fresh & ((1L << fromFresh) - 1);
            long value = (high << poolBits) | low;
            pool = fresh >>> fromFresh;
            poolBits = 64 - fromFresh;
            return value;
        }
        long value = pool & ((1L << count) - 1);
        pool >>>= count;
        poolBits -= count;
        return value;
    }

    private long nextWord() {
        if (position + 8 > BUFFER) {
            random.nextBytes(buffer);
            position = 0;
        }
        long word = 0;
        for (int i = 0; i < 8; i++) {
            word = (word << 8) | (buffer[position++] & 0xFF);
        }
        return word;
    }
}
