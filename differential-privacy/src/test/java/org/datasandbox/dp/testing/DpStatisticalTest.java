package org.datasandbox.dp.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.datasandbox.dp.aggregation.BoundedCount;
import org.datasandbox.dp.aggregation.BoundedMean;
import org.datasandbox.dp.aggregation.BoundedQuantiles;
import org.datasandbox.dp.aggregation.BoundedSum;
import org.datasandbox.dp.aggregation.PartitionSelection;
import org.datasandbox.dp.noise.DiscreteGaussian;
import org.datasandbox.dp.noise.DiscreteLaplace;
import org.datasandbox.dp.noise.IntegerNoise;
import org.datasandbox.dp.noise.Noise;
import org.datasandbox.dp.noise.RandomSource;
import org.junit.jupiter.api.Test;

/**
 * Every mechanism and aggregation on neighbouring datasets through {@link DpTester}: the empirical
 * privacy loss stays within the claimed epsilon (and delta), and deliberately broken versions (wrong
 * scale, missing clamp, unbounded contributions, the continuous partition-selection threshold) fail.
 * Seeded, so a result reproduces; each test takes about a second.
 */
class DpStatisticalTest {
    private static final int RUNS = 150_000;
    /** Aggregations build their noise per run, which is slower than a bare draw. */
    private static final int AGGREGATION_RUNS = 60_000;

    // ---- mechanisms ----

    @Test
    void discreteLaplace_neighbouringCounts_holdsEpsilon() {
        DiscreteLaplace laplace = DiscreteLaplace.forEpsilon(BigDecimal.ONE, 1, RandomSource.seeded(101));
        DpTester.Verdict verdict = DpTester.test(() -> laplace.addNoise(0), () -> laplace.addNoise(1), RUNS, 1.0);
        assertThat(verdict.holds(0)).as("%s", verdict).isTrue();
    }

    @Test
    void discreteLaplace_halfTheScale_failsTheTester() {
        DiscreteLaplace broken = DiscreteLaplace.forEpsilon(new BigDecimal("1.5"), 1, RandomSource.seeded(102)); // claims 1
        DpTester.Verdict verdict = DpTester.test(() -> broken.addNoise(0), () -> broken.addNoise(1), RUNS, 1.0);
        assertThat(verdict.empiricalDelta()).as("%s", verdict).isGreaterThan(0.05);
    }

    @Test
    void discreteGaussian_calibratedNoise_holdsEpsilonDelta() {
        IntegerNoise gaussian = Noise.gaussian(RandomSource.seeded(103)).calibrate(1, 1, BigDecimal.ONE, 1e-3);
        DpTester.Verdict verdict = DpTester.test(() -> gaussian.addNoise(0), () -> gaussian.addNoise(1), RUNS, 1.0);
        assertThat(verdict.holds(1e-3)).as("%s", verdict).isTrue();
    }

    @Test
    void discreteGaussian_aThirdOfTheSigma_failsTheTester() {
        double sigma = ((DiscreteGaussian) Noise.gaussian(RandomSource.seeded(1)).calibrate(1, 1, BigDecimal.ONE, 1e-3)).sigma();
        DiscreteGaussian broken = DiscreteGaussian.withSigma(sigma / 3, RandomSource.seeded(104));
        DpTester.Verdict verdict = DpTester.test(() -> broken.addNoise(0), () -> broken.addNoise(1), RUNS, 1.0);
        assertThat(verdict.empiricalDelta()).as("%s", verdict).isGreaterThan(0.05);
    }

    // ---- aggregations ----

    @Test
    void boundedCount_aUnitWithManyRowsAdded_holdsEpsilon() {
        RandomSource random = RandomSource.seeded(105);
        DpTester.Verdict verdict = DpTester.test(
                () -> (long) count(random, 10, 0).value(),
                () -> (long) count(random, 10, 50).value(), AGGREGATION_RUNS, 1.0);
        assertThat(verdict.holds(0)).as("%s", verdict).isTrue();
    }

    private static org.datasandbox.dp.aggregation.DpResult count(RandomSource random, int units, long extraUnitRows) {
        BoundedCount count = BoundedCount.builder().epsilon(BigDecimal.ONE).maxContributionsPerPartition(2).random(random).build();
        for (int i = 0; i < units; i++) {
            count.addUnit(1);
        }
        if (extraUnitRows > 0) {
            count.addUnit(extraUnitRows);
        }
        return count.result();
    }

    @Test
    void boundedSum_anOutlierUnitAdded_holdsEpsilon() {
        RandomSource random = RandomSource.seeded(106);
        DpTester.Verdict verdict = DpTester.test(
                () -> DpTester.bucket(sum(random, false, false), 2, 40),
                () -> DpTester.bucket(sum(random, true, false), 2, 40), AGGREGATION_RUNS, 1.0);
        assertThat(verdict.holds(0)).as("%s", verdict).isTrue();
    }

    @Test
    void boundedSum_unboundedContributions_failTheTester() {
        // the caller breaks the contract: all five entries of the new unit counted (addEntry, not addUnit)
        RandomSource random = RandomSource.seeded(107);
        DpTester.Verdict verdict = DpTester.test(
                () -> DpTester.bucket(sum(random, false, false), 2, 40),
                () -> DpTester.bucket(sum(random, true, true), 2, 40), RUNS, 1.0);
        assertThat(verdict.empiricalDelta()).as("%s", verdict).isGreaterThan(0.05);
    }

    /** Bounds [0, 4], Linf 1: the neighbour adds a unit with five entries of 1000. */
    private static double sum(RandomSource random, boolean withOutlier, boolean unbounded) {
        BoundedSum sum = BoundedSum.builder().epsilon(BigDecimal.ONE).bounds(0, 4).random(random).build();
        sum.addEntry(3).addEntry(1);
        if (withOutlier) {
            if (unbounded) {
                for (int i = 0; i < 5; i++) {
                    sum.addEntry(1000);
                }
            } else {
                sum.addUnit(1000, 1000, 1000, 1000, 1000);
            }
        }
        return sum.result().value();
    }

    @Test
    void sumWithoutClamping_failsTheTester() {
        // a broken sum: the calibration of bounds [0, 4] but the raw value added
        RandomSource random = RandomSource.seeded(108);
        IntegerNoise noise = Noise.laplace(random).calibrate(1, 4, BigDecimal.ONE, 0);
        DpTester.Verdict verdict = DpTester.test(
                () -> DpTester.bucket(noise.addNoise(4), 2, 40),
                () -> DpTester.bucket(noise.addNoise(4 + 20), 2, 40), RUNS, 1.0);
        assertThat(verdict.empiricalDelta()).as("%s", verdict).isGreaterThan(0.05);
    }

    @Test
    void boundedMean_aUnitAdded_holdsEpsilon() {
        RandomSource random = RandomSource.seeded(109);
        DpTester.Verdict verdict = DpTester.test(
                () -> DpTester.bucket(mean(random, false), 0.5, 40),
                () -> DpTester.bucket(mean(random, true), 0.5, 40), AGGREGATION_RUNS, 1.0);
        assertThat(verdict.holds(0)).as("%s", verdict).isTrue();
    }

    private static double mean(RandomSource random, boolean withExtra) {
        BoundedMean mean = BoundedMean.builder().epsilon(BigDecimal.ONE).bounds(0, 10).random(random).build();
        for (int i = 0; i < 20; i++) {
            mean.addEntry(i % 5);
        }
        if (withExtra) {
            mean.addUnit(10_000);
        }
        return mean.result().value();
    }

    @Test
    void boundedQuantiles_aUnitAdded_holdsEpsilon() {
        RandomSource random = RandomSource.seeded(110);
        int runs = 6_000; // each run builds a tree of 70,000 counts
        DpTester.Verdict verdict = DpTester.test(
                () -> DpTester.bucket(median(random, false), 100, 20),
                () -> DpTester.bucket(median(random, true), 100, 20), runs, 1.0);
        assertThat(verdict.holds(0)).as("%s", verdict).isTrue();
    }

    private static double median(RandomSource random, boolean withExtra) {
        BoundedQuantiles quantiles = BoundedQuantiles.builder().epsilon(BigDecimal.ONE).bounds(0, 1000).random(random).build();
        quantiles.addEntry(200).addEntry(700);
        if (withExtra) {
            quantiles.addUnit(950);
        }
        List<org.datasandbox.dp.aggregation.DpResult> result = quantiles.result(0.5);
        return result.get(0).value();
    }

    @Test
    void boundedCount_gaussian_aUnitAdded_holdsEpsilonDelta() {
        RandomSource random = RandomSource.seeded(113);
        DpTester.Verdict verdict = DpTester.test(
                () -> (long) gaussianCount(random, false),
                () -> (long) gaussianCount(random, true), AGGREGATION_RUNS, 1.0);
        assertThat(verdict.holds(1e-3)).as("%s", verdict).isTrue();
    }

    private static double gaussianCount(RandomSource random, boolean withExtra) {
        BoundedCount count = BoundedCount.builder().epsilon(BigDecimal.ONE).delta(1e-3).noise(Noise.gaussian(random)).build();
        count.addUnit(1).addUnit(1);
        if (withExtra) {
            count.addUnit(7);
        }
        return count.result().value();
    }

    // ---- partition selection ----

    @Test
    void partitionSelection_gaussianThreshold_holdsDelta() {
        DiscreteGaussian gaussian = DiscreteGaussian.withSigma(1.5, RandomSource.seeded(114));
        long tau = PartitionSelection.gaussianThreshold(gaussian.sigma(), 1, 0.01);
        DpTester.Verdict verdict = DpTester.test(() -> gaussian.addNoise(1) >= tau ? 1 : 0, () -> 0, RUNS, 1.0);
        assertThat(verdict.holds(0.01)).as("%s", verdict).isTrue();
        // and one below the threshold releases too often: the threshold is the smallest that holds
        DpTester.Verdict lower = DpTester.test(() -> gaussian.addNoise(1) >= tau - 1 ? 1 : 0, () -> 0, RUNS, 1.0);
        assertThat(lower.holds(0.01)).as("%s", lower).isFalse();
    }

    @Test
    void partitionSelection_exactThreshold_holdsDelta() {
        double scale = 2.997 / Math.log(1 / (2 * 0.01)); // the scale where the textbook threshold is furthest off
        DiscreteLaplace laplace = DiscreteLaplace.withScale(Math.round(scale * 1_000_000), 1_000_000, RandomSource.seeded(111));
        long tau = PartitionSelection.laplaceThreshold(laplace.scale(), 1, 0.01);
        // a key of one unit: released (1) or not (0); without the unit it is never released
        DpTester.Verdict verdict = DpTester.test(() -> laplace.addNoise(1) >= tau ? 1 : 0, () -> 0, RUNS, 1 / laplace.scale());
        assertThat(verdict.holds(0.01)).as("%s", verdict).isTrue();
    }

    @Test
    void partitionSelection_continuousThreshold_failsTheTester() {
        double scale = 2.997 / Math.log(1 / (2 * 0.01));
        DiscreteLaplace laplace = DiscreteLaplace.withScale(Math.round(scale * 1_000_000), 1_000_000, RandomSource.seeded(112));
        long textbook = (long) Math.ceil(1 + laplace.scale() * Math.log(1 / (2 * 0.01)));
        DpTester.Verdict verdict = DpTester.test(() -> laplace.addNoise(1) >= textbook ? 1 : 0, () -> 0, RUNS, 1 / laplace.scale());
        assertThat(verdict.holds(0.01)).as("%s", verdict).isFalse();
    }
}
