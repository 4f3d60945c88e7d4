package org.datasandbox.dp.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Statistical tests of the sampler against the exact distribution. The source is seeded so that a
 * failure reproduces; thresholds are set for a false alarm rate far below one in a million.
 */
class DiscreteLaplaceTest {
    private static final int DRAWS = 200_000;

    /** P(x) = (1 - q) / (1 + q) * q^|x| with q = exp(-1/scale). */
    private static double probability(long x, double scale) {
        double q = Math.exp(-1 / scale);
        return (1 - q) / (1 + q) * Math.pow(q, Math.abs(x));
    }

    private static Map<Long, Integer> histogram(DiscreteLaplace laplace) {
        Map<Long, Integer> counts = new HashMap<>();
        for (int i = 0; i < DRAWS; i++) {
            counts.merge(laplace.sample(), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void sample_scaleThreeHalves_followsTheDiscreteLaplaceDistribution() {
        assertMatches(DiscreteLaplace.withScale(3, 2, RandomSource.seeded(1)), 1.5);
    }

    @Test
    void sample_epsilonHalf_hasScaleTwo() {
        DiscreteLaplace laplace = DiscreteLaplace.forEpsilon(new BigDecimal("0.5"), 1, RandomSource.seeded(2));
        assertThat(laplace.scale()).isEqualTo(2.0);
        assertMatches(laplace, 2.0);
    }

    @Test
    void sample_isSymmetricWithMeanZeroAndTheRightVariance() {
        DiscreteLaplace laplace = DiscreteLaplace.forEpsilon(new BigDecimal("0.25"), 1, RandomSource.seeded(3));
        double sum = 0;
        double squares = 0;
        for (int i = 0; i < DRAWS; i++) {
            long x = laplace.sample();
            sum += x;
            squares += (double) x * x;
        }
        double q = Math.exp(-1 / 4.0);
        double variance = 2 * q / ((1 - q) * (1 - q));
        assertThat(Math.abs(sum / DRAWS)).isLessThan(6 * Math.sqrt(variance / DRAWS));
        assertThat(squares / DRAWS).isCloseTo(variance, org.assertj.core.data.Percentage.withPercentage(3));
    }

    /** Chi-square over the central values plus both tails, against the exact PMF. */
    private static void assertMatches(DiscreteLaplace laplace, double scale) {
        Map<Long, Integer> counts = histogram(laplace);
        int bound = (int) Math.ceil(6 * scale);
        double chi2 = 0;
        int cells = 0;
        double tailProbability = 1;
        int tailCount = DRAWS;
        for (long x = -bound; x <= bound; x++) {
            double expected = DRAWS * probability(x, scale);
            int observed = counts.getOrDefault(x, 0);
            chi2 += (observed - expected) * (observed - expected) / expected;
            cells++;
            tailProbability -= probability(x, scale);
            tailCount -= observed;
        }
        double expectedTail = DRAWS * tailProbability;
        chi2 += (tailCount - expectedTail) * (tailCount - expectedTail) / expectedTail;
        // chi-square with `cells` degrees of freedom: mean = cells, sd = sqrt(2 cells); 8 sd is beyond 1e-9
        assertThat(chi2).as("chi-square over %d cells", cells + 1).isLessThan(cells + 8 * Math.sqrt(2.0 * cells));
    }

    @Test
    void forEpsilon_invalidParameters_areRefused() {
        assertThatThrownBy(() -> DiscreteLaplace.forEpsilon(BigDecimal.ZERO, 1, RandomSource.seeded(1)))
                .hasMessage("epsilon must be > 0. Provided value: 0");
        assertThatThrownBy(() -> DiscreteLaplace.forEpsilon(BigDecimal.ONE, 0, RandomSource.seeded(1)))
                .hasMessage("sensitivity must be >= 1. Provided value: 0");
    }

    @Test
    void secureSource_drawsWithinBounds() {
        RandomSource secure = RandomSource.secure();
        for (int i = 0; i < 1000; i++) {
            assertThat(secure.nextLong(7)).isBetween(0L, 6L);
        }
        assertThat(DiscreteLaplace.forEpsilon(BigDecimal.ONE, 1, secure).addNoise(100)).isBetween(50L, 150L);
    }
}
