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

    @Test
    void deltaBound_isAboveTheExactDelta() {
        for (double[] c : new double[][] {{3, 1, 1}, {3, 2, 0.5}, {50, 7, 0.2}, {2000, 100, 0.05}, {1, 1, 1}}) {
            assertThat(DiscreteGaussianPrivacy.deltaBound(c[0], (long) c[1], c[2])).as("sigma %s", c[0])
                    .isGreaterThanOrEqualTo(DiscreteGaussianPrivacy.delta(c[0], (long) c[1], c[2]));
        }
    }

    @Test
    void deltaBound_atLargeSigma_isTheContinuousDeltaAlmostExactly() {
        double sensitivity = 1 << 20; // one entry of a snapped sum
        double sigma = AnalyticGaussian.sigma(1, 1e-6, sensitivity);
        assertThat(DiscreteGaussianPrivacy.deltaBound(sigma, 1 << 20, 1)).isCloseTo(1e-6, Percentage.withPercentage(0.1));
    }

    @Test
    void gaussianNoise_oneValuePerUnitAtLargeSigma_staysWithinAPercentOfTheAnalyticSigma() {
        org.datasandbox.dp.noise.DiscreteGaussian noise = (org.datasandbox.dp.noise.DiscreteGaussian) org.datasandbox.dp.noise.Noise
                .gaussian(org.datasandbox.dp.noise.RandomSource.seeded(1)).calibrate(1, 1 << 20, java.math.BigDecimal.ONE, 1e-6);
        assertThat(noise.sigma()).isCloseTo(AnalyticGaussian.sigma(1, 1e-6, 1 << 20), Percentage.withPercentage(1));
    }
}
