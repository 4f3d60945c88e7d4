package org.datasandbox.dp.noise;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.SplittableRandom;

/**
 * Uniform random integers: all the randomness the mechanisms use. Production uses {@link #secure()};
 * statistical tests use {@link #seeded(long)} so that a failure can be reproduced.
 */
public interface RandomSource {

    /** A uniform integer in {@code [0, bound)}. */
    long nextLong(long bound);

    /** A uniform integer in {@code [0, bound)} for bounds beyond a long, by rejection on 62-bit chunks. */
    default BigInteger nextBigInteger(BigInteger bound) {
        if (bound.signum() <= 0) {
            throw new IllegalArgumentException("bound must be > 0. Provided value: " + bound);
        }
        if (bound.bitLength() < 63) {
            return BigInteger.valueOf(nextLong(bound.longValue()));
        }
        int chunks = (bound.bitLength() + 61) / 62;
        while (true) {
            BigInteger r = BigInteger.ZERO;
            for (int i = 0; i < chunks; i++) {
                r = r.shiftLeft(62).or(BigInteger.valueOf(nextLong(1L << 62)));
            }
            r = r.shiftRight(chunks * 62 - bound.bitLength());
            if (r.compareTo(bound) < 0) {
                return r;
            }
        }
    }

    /** The production source: a {@link SecureRandom}, buffered, spending only the bits each draw needs. */
    static RandomSource secure() {
        return new SecureBits(SecureBits.SHARED);
    }

    /** A reproducible source, for tests and for samples whose noise must be the same at every run. */
    static RandomSource seeded(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return bound -> random.nextLong(bound);
    }
}
