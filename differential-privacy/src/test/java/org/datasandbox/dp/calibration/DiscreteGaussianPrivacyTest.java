package org.datasandbox.dp.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;

/** Theorem 7's formula against the definition: the hockey-stick divergence summed over every output. */
class DiscreteGaussianPrivacyTest {

    private static double bruteForceDelta(double sigma, int sensitivity, double epsilon) {
        int bound = (int) Math.ceil(40 * sigma) + sensitivity + 2;
        double normalizer = 0;
        for (int x = -bound; x <= bound; x++) {
            normalizer += Math.exp(-(double) x * x / (2 * sigma * sigma));
        }
        double delta = 0;
        for (int y = -bound; y <= bound + sensitivity; y++) {
            double p = Math.exp(-(double) y * y / (2 * sigma * sigma)) / normalizer;
            double q = Math.exp(-(double) (y - sensitivity) * (y - sensitivity) / (2 * sigma * sigma)) / normalizer;
            delta += Math.max(0, p - Math.exp(epsilon) * q);
        }
        return delta;
    }

    @Test
    void delta_matchesTheDefinition() {
        for (double[] c : new double[][] {{1, 1, 1}, {3.5, 1, 1}, {0.6, 1, 2}, {12, 3, 0.5}, {2, 2, 1}}) {
            assertThat(DiscreteGaussianPrivacy.delta(c[0], (long) c[1], c[2])).as("sigma %s", c[0])
                    .isCloseTo(bruteForceDelta(c[0], (int) c[1], c[2]), Percentage.withPercentage(1e-6));
        }
    }

    @Test
    void delta_isCloseToTheContinuousOneAtUsefulSigmas() {
        assertThat(DiscreteGaussianPrivacy.delta(4, 1, 1)).isCloseTo(AnalyticGaussian.delta(4, 1, 1), Percentage.withPercentage(5));
    }
}
