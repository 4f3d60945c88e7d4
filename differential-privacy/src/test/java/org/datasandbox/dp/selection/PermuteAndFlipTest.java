package org.datasandbox.dp.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.datasandbox.dp.noise.RandomSource;
import org.junit.jupiter.api.Test;

/** Statistical tests with seeded sources; tolerances are about six standard deviations. */
class PermuteAndFlipTest {
    private static final int DRAWS = 100_000;

    private static int[] frequencies(double[] scores, double sensitivity, String epsilon, long seed) {
        RandomSource random = RandomSource.seeded(seed);
        int[] counts = new int[scores.length];
        for (int i = 0; i < DRAWS; i++) {
            counts[PermuteAndFlip.select(scores, sensitivity, new BigDecimal(epsilon), random)]++;
        }
        return counts;
    }

    @Test
    void select_twoCandidates_takesTheWorseWithHalfItsAcceptanceProbability() {
        // The worse one is taken only when visited first and accepted: 1/2 · exp(-ε · gap / (2Δ)).
        // A gap of 2 with Δ = 1 and ε = 1 gives 1/2 · e^-1 (the grid widens Δ by 1/1000).
        int[] counts = frequencies(new double[] {3.0, 1.0}, 1.0, "1", 1);
        double expected = 0.5 * Math.exp(-1.0 * 2000 / (2 * 1001.0));
        double sd = Math.sqrt(DRAWS * expected * (1 - expected));
        assertThat((double) counts[1]).isCloseTo(DRAWS * expected, org.assertj.core.data.Offset.offset(6 * sd));
    }

    @Test
    void select_largeEpsilonTakesTheBest_tinyEpsilonIsNearlyUniform() {
        double[] scores = {0.1, 0.9, 0.5, 0.2};
        assertThat(frequencies(scores, 0.01, "10", 2)[1]).isEqualTo(DRAWS);
        int[] uniform = frequencies(scores, 1000, "0.001", 3);
        for (int count : uniform) {
            assertThat(count).isBetween(DRAWS / 4 - 1000, DRAWS / 4 + 1000);
        }
    }

    @Test
    void select_badArguments_areRefused() {
        RandomSource random = RandomSource.seeded(4);
        assertThatThrownBy(() -> PermuteAndFlip.select(new double[0], 1, BigDecimal.ONE, random))
                .hasMessageContaining("no candidates");
        assertThatThrownBy(() -> PermuteAndFlip.select(new double[] {Double.NaN}, 1, BigDecimal.ONE, random))
                .hasMessageContaining("not finite");
        assertThatThrownBy(() -> PermuteAndFlip.select(new double[] {1}, 0, BigDecimal.ONE, random))
                .hasMessageContaining("sensitivity");
        assertThatThrownBy(() -> PermuteAndFlip.select(new double[] {1}, 1, BigDecimal.ZERO, random))
                .hasMessageContaining("epsilon");
    }
}
