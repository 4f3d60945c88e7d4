package org.datasandbox.dp.noise;

import java.security.SecureRandom;
import java.util.SplittableRandom;

/**
 * Uniform random integers: all the randomness the mechanisms use. Production uses {@link #secure()};
 * statistical tests use {@link #seeded(long)} so that a failure can be reproduced.
 */
public interface RandomSource {

    /** A uniform integer in {@code [0, bound)}. */
    long nextLong(long bound);

    static RandomSource secure() {
        SecureRandom random = new SecureRandom();
        return bound -> {
            if (bound <= 0) {
                throw new IllegalArgumentException("bound must be > 0. Provided value: " + bound);
            }
            // rejection sampling: no modulo bias
            long limit = Long.MAX_VALUE - Long.MAX_VALUE % bound;
            long r;
            do {
                r = random.nextLong() & Long.MAX_VALUE;
            } while (r >= limit);
            return r % bound;
        };
    }

    /** A reproducible source, for tests and for samples whose noise must be the same at every run. */
    static RandomSource seeded(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return bound -> random.nextLong(bound);
    }
}
