package org.datasandbox.dp.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.assertj.core.data.Percentage;
import org.datasandbox.dp.noise.Noise;
import org.datasandbox.dp.noise.RandomSource;
import org.junit.jupiter.api.Test;

/**
 * Accuracy against theory: the empirical variance of many releases equals the variance of the noise
 * calibrated for that sensitivity (the relative sd of a variance estimate over n runs is sqrt(2/n) for
 * the Gaussian, about sqrt(5/n) for the Laplace; the tolerance is about five of them), and the intervals
 * cover the true value at least as often as promised.
 */
class AccuracyTest {
    private static final int RUNS = 20_000;

    private static double[] sums(Noise noise, double delta, long seed) {
        RandomSource random = RandomSource.seeded(seed);
        double[] out = new double[RUNS];
        int covered = 0;
        for (int i = 0; i < RUNS; i++) {
            BoundedSum.Builder builder = BoundedSum.builder().epsilon(new BigDecimal("0.5")).bounds(0, 8).maxPartitionsContributed(2)
                    .random(random).noise(noise);
            DpResult result = (delta > 0 ? builder.delta(delta) : builder).build().addEntry(3).addEntry(5).result();
            out[i] = result.value() - 8;
            if (result.interval().contains(8)) {
                covered++;
            }
        }
        assertThat((double) covered / RUNS).isGreaterThan(0.95 - 5 * Math.sqrt(0.95 * 0.05 / RUNS));
        return out;
    }

    private static double variance(double[] errors) {
        double sum = 0;
        for (double e : errors) {
            sum += e * e;
        }
        return sum / errors.length;
    }

    @Test
    void sum_laplace_hasTheVarianceOfItsCalibration() {
        RandomSource random = RandomSource.seeded(31);
        double theory = Noise.laplace(random).calibrate(2, 8L << 17, new BigDecimal("0.5"), 0).variance() * Math.pow(2, -34);
        assertThat(variance(sums(Noise.laplace(random), 0, 31))).isCloseTo(theory, Percentage.withPercentage(9));
        // and that is (L1 / epsilon)^2 * 2 for L1 = 2 * 8 = 16: 2 * 32^2 = 2048, up to the discreteness
        assertThat(theory).isCloseTo(2048.0, Percentage.withPercentage(0.1));
    }

    @Test
    void sum_gaussian_hasTheVarianceOfItsCalibration() {
        RandomSource random = RandomSource.seeded(32);
        double theory = Noise.gaussian(random).calibrate(2, 8L << 17, new BigDecimal("0.5"), 1e-6).variance() * Math.pow(2, -34);
        assertThat(variance(sums(Noise.gaussian(random), 1e-6, 32))).isCloseTo(theory, Percentage.withPercentage(6));
    }

    /** The quantile interval is approximate; measured here: it covers the true median in most runs. */
    @Test
    void quantiles_interval_coversTheTrueMedianMostOfTheTime() {
        RandomSource random = RandomSource.seeded(33);
        int runs = 300;
        int covered = 0;
        for (int i = 0; i < runs; i++) {
            BoundedQuantiles quantiles = BoundedQuantiles.builder().epsilon(BigDecimal.ONE).bounds(0, 1000).random(random).build();
            for (int v = 0; v < 2000; v++) {
                quantiles.addEntry(300 + (v % 401)); // median 500
            }
            if (quantiles.result(0.5).get(0).interval().contains(500)) {
                covered++;
            }
        }
        assertThat((double) covered / runs).isGreaterThan(0.9);
    }
}
