package org.datasandbox.dp.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Thresholds against the exact distributions, summed here from their mass functions: a unit alone in m
 * keys makes any of them appear with probability {@code 1 - (1 - P(1 + X >= tau))^m}.
 */
class PartitionSelectionTest {

    private static double laplaceTail(double scale, long from) {
        double q = Math.exp(-1 / scale);
        double sum = 0;
        for (long x = from; x < from + 20_000; x++) {
            sum += (1 - q) / (1 + q) * Math.pow(q, Math.abs(x));
        }
        return sum;
    }

    private static double gaussianTail(double sigma, long from) {
        int bound = (int) Math.ceil(40 * sigma) + 2;
        double normalizer = 0;
        double tail = 0;
        for (int x = -bound; x <= bound; x++) {
            double w = Math.exp(-(double) x * x / (2 * sigma * sigma));
            normalizer += w;
            if (x >= from) {
                tail += w;
            }
        }
        return tail / normalizer;
    }

    private static double anyOf(double p, long m) {
        return 1 - Math.pow(1 - p, m);
    }

    @Test
    void laplaceThreshold_isTheSmallestThatMeetsDeltaForTheDiscreteDistribution() {
        for (double scale : new double[] {0.3, 1, 2.5, 10}) {
            for (long m : new long[] {1, 3}) {
                long tau = PartitionSelection.laplaceThreshold(scale, m, 1e-6);
                assertThat(anyOf(laplaceTail(scale, tau - 1), m)).as("scale %s m %s", scale, m).isLessThanOrEqualTo(1e-6 * (1 + 1e-9));
                assertThat(anyOf(laplaceTail(scale, tau - 2), m)).as("scale %s m %s", scale, m).isGreaterThan(1e-6);
                assertThat(PartitionSelection.laplaceDelta(scale, m, tau)).isCloseTo(anyOf(laplaceTail(scale, tau - 1), m),
                        org.assertj.core.data.Percentage.withPercentage(1e-6));
            }
        }
    }

    @Test
    void continuousFormula_understatesTheDiscreteDelta() {
        // the textbook m + b ln(m / 2 delta) at a scale where its ceiling leaves no slack (epsilon 4.4):
        // the discrete tail q^j / (1 + q) is 2 / (1 + q) = 1.97 times the continuous one it assumed
        double scale = 2.997 / Math.log(1 / (2 * 1e-6));
        long textbook = (long) Math.ceil(1 + scale * Math.log(1 / (2 * 1e-6)));
        double actual = PartitionSelection.laplaceDelta(scale, 1, textbook);
        assertThat(actual).isCloseTo(anyOf(laplaceTail(scale, textbook - 1), 1), org.assertj.core.data.Percentage.withPercentage(1e-6));
        assertThat(actual / 1e-6).isGreaterThan(1.9);
        assertThat(PartitionSelection.laplaceThreshold(scale, 1, 1e-6)).isGreaterThan(textbook);
    }

    @Test
    void gaussianThreshold_isTheSmallestThatMeetsDelta() {
        for (double sigma : new double[] {0.8, 3, 25}) {
            for (long m : new long[] {1, 4}) {
                long tau = PartitionSelection.gaussianThreshold(sigma, m, 1e-6);
                assertThat(anyOf(gaussianTail(sigma, tau - 1), m)).as("sigma %s m %s", sigma, m).isLessThanOrEqualTo(1e-6 * (1 + 1e-9));
                assertThat(anyOf(gaussianTail(sigma, tau - 2), m)).as("sigma %s m %s", sigma, m).isGreaterThan(1e-6);
                assertThat(PartitionSelection.gaussianDelta(sigma, m, tau)).isLessThanOrEqualTo(1e-6 * (1 + 1e-9));
            }
        }
    }

    @Test
    void laplaceThreshold_matchesTheSamplerEmpirically() {
        // scale 1, delta 0.01: a single unit's key must appear in at most ~1% of many runs
        org.datasandbox.dp.noise.DiscreteLaplace laplace = org.datasandbox.dp.noise.DiscreteLaplace.withScale(1, 1,
                org.datasandbox.dp.noise.RandomSource.seeded(21));
        long tau = PartitionSelection.laplaceThreshold(1, 1, 0.01);
        int released = 0;
        int runs = 200_000;
        for (int i = 0; i < runs; i++) {
            if (laplace.addNoise(1) >= tau) {
                released++;
            }
        }
        double exact = PartitionSelection.laplaceDelta(1, 1, tau);
        assertThat((double) released / runs).isCloseTo(exact, org.assertj.core.data.Offset.offset(6 * Math.sqrt(exact / runs)));
    }
}
