package org.datasandbox.dp.noise;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** The bit pool is uniform for every bound, including across word boundaries. */
class SecureBitsTest {

    /** A deterministic "secure" random, so the check reproduces. */
    private static SecureBits seeded() {
        SecureRandom fixed;
        try {
            fixed = SecureRandom.getInstance("SHA1PRNG");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        fixed.setSeed(42L);
        return new SecureBits(fixed);
    }

    @Test
    void nextLong_smallAndAwkwardBounds_isUniform() {
        SecureBits bits = seeded();
        for (long bound : new long[] {2, 3, 7, 10, 1000}) {
            int draws = 200_000;
            long[] counts = new long[(int) bound];
            for (int i = 0; i < draws; i++) {
                counts[(int) bits.nextLong(bound)]++;
            }
            double expected = (double) draws / bound;
            double chi2 = 0;
            for (long c : counts) {
                chi2 += (c - expected) * (c - expected) / expected;
            }
            double df = bound - 1;
            assertThat(chi2).as("bound %d", bound).isLessThan(df + 8 * Math.sqrt(2 * df));
        }
    }

    @Test
    void nextLong_largeBound_staysBelowItAndCoversBothHalves() {
        SecureBits bits = seeded();
        long bound = (1L << 62) + 12345;
        int upper = 0;
        for (int i = 0; i < 100_000; i++) {
            long x = bits.nextLong(bound);
            assertThat(x).isBetween(0L, bound - 1);
            if (x >= bound / 2) {
                upper++;
            }
        }
        assertThat(upper).isBetween(48_500, 51_500);
    }

    @Test
    void nextLong_boundOne_isZero() {
        assertThat(seeded().nextLong(1)).isZero();
    }
}
