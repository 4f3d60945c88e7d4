package org.datasandbox.dp.aggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import org.assertj.core.data.Offset;
import org.datasandbox.dp.noise.Mechanism;
import org.datasandbox.dp.noise.Noise;
import org.datasandbox.dp.noise.RandomSource;
import org.datasandbox.dp.testing.ZeroNoise;
import org.junit.jupiter.api.Test;

/** The logic around the noise, with zero noise and the real calibration. */
class BoundedAggregationsTest {
    private static final BigDecimal EPSILON = BigDecimal.ONE;

    @Test
    void count_unitsAboveLinf_countAsLinf() {
        DpResult result = BoundedCount.builder().epsilon(EPSILON).maxContributionsPerPartition(2).noise(ZeroNoise.laplace())
                .build().addUnit(1).addUnit(5).addUnit(0).result();
        assertThat(result.value()).isEqualTo(3);
        assertThat(result.mechanism()).isEqualTo(Mechanism.DISCRETE_LAPLACE);
        assertThat(result.loss().epsilon()).isEqualTo(1.0);
        assertThat(result.interval().contains(3)).isTrue();
    }

    @Test
    void count_interval_isTheExactNoiseQuantileAroundTheValue() {
        DpResult result = BoundedCount.builder().epsilon(new BigDecimal("0.5")).maxPartitionsContributed(2).noise(ZeroNoise.laplace())
                .confidence(0.9).build().addUnit(1).result();
        long half = Noise.laplace(RandomSource.seeded(1)).calibrate(2, 1, new BigDecimal("0.5"), 0).halfWidth(0.1);
        assertThat(result.interval()).isEqualTo(new ConfidenceInterval(1 - half, 1 + half, 0.9, true));
    }

    @Test
    void sum_clampsEachEntryAndKeepsAtMostLinfPerUnit() {
        BoundedSum sum = BoundedSum.builder().epsilon(EPSILON).bounds(0, 100).maxContributionsPerPartition(2)
                .noise(ZeroNoise.laplace()).random(RandomSource.seeded(3)).build();
        sum.addUnit(10, 10, 10).addUnit(1_000_000).addUnit(-5);
        assertThat(sum.result().value()).isEqualTo(20 + 100 + 0);
    }

    @Test
    void sum_addEntries_equalsOneAddEntryPerValue() {
        double[] values = {-3, 0.25, 7.5, 1e9, Double.NaN, 99.99};
        BoundedSum one = BoundedSum.builder().epsilon(EPSILON).bounds(0, 100).noise(ZeroNoise.laplace()).build();
        for (double value : values) {
            one.addEntry(value);
        }
        DpResult batch = BoundedSum.builder().epsilon(EPSILON).bounds(0, 100).noise(ZeroNoise.laplace()).build()
                .addEntries(values).result();
        assertThat(batch.value()).isEqualTo(one.result().value()).isCloseTo(0.25 + 7.5 + 100 + 99.99, Offset.offset(1e-4));
    }

    @Test
    void sum_gaussian_reportsRhoAndTheCalibratedEpsilonDelta() {
        DpResult result = BoundedSum.builder().epsilon(EPSILON).delta(1e-6).bounds(-50, 50).noise(ZeroNoise.gaussian())
                .build().addEntry(12.5).addEntry(-2.5).result();
        assertThat(result.value()).isEqualTo(10.0);
        assertThat(result.mechanism()).isEqualTo(Mechanism.DISCRETE_GAUSSIAN);
        assertThat(result.loss().epsilon()).isEqualTo(1.0);
        assertThat(result.loss().delta()).isEqualTo(1e-6);
        assertThat(result.loss().rho()).isGreaterThan(0).isLessThan(0.5);
    }

    @Test
    void mean_isTheClampedMean() {
        DpResult result = BoundedMean.builder().epsilon(EPSILON).bounds(0, 10).noise(ZeroNoise.laplace()).build()
                .addEntry(2).addEntry(4).addEntry(30).result();
        assertThat(result.value()).isCloseTo((2 + 4 + 10) / 3.0, Offset.offset(1e-6));
        assertThat(result.loss().epsilon()).isCloseTo(1.0, Offset.offset(1e-12));
        assertThat(result.interval().contains(16 / 3.0)).isTrue();
        assertThat(BoundedMean.builder().epsilon(EPSILON).bounds(0, 10).build().loss()).isEqualTo(result.loss());
        assertThat(result.interval().lower()).isGreaterThanOrEqualTo(0);
        assertThat(result.interval().upper()).isLessThanOrEqualTo(10);
    }

    @Test
    void quantiles_withoutNoise_findTheMedianMinAndMaxToALeaf() {
        BoundedQuantiles quantiles = BoundedQuantiles.builder().epsilon(EPSILON).bounds(0, 1000).noise(ZeroNoise.laplace()).build();
        for (int i = 100; i <= 900; i++) {
            quantiles.addEntry(i);
        }
        List<DpResult> results = quantiles.result(0, 0.5, 1);
        double leaf = 1000.0 / 65536;
        assertThat(results.get(0).value()).isCloseTo(100.0, Offset.offset(2 * leaf));
        assertThat(results.get(1).value()).isCloseTo(500.0, Offset.offset(2.0));
        assertThat(results.get(2).value()).isCloseTo(900.0, Offset.offset(2 * leaf));
        assertThat(results.get(1).interval().exact()).isFalse();
    }

    @Test
    void quantiles_withNoise_stayNearTheMedian() {
        BoundedQuantiles quantiles = BoundedQuantiles.builder().epsilon(EPSILON).bounds(0, 1000).random(RandomSource.seeded(8)).build();
        for (int i = 0; i < 5000; i++) {
            quantiles.addEntry(400 + (i % 201));
        }
        assertThat(quantiles.result(0.5).get(0).value()).isBetween(480.0, 520.0);
    }

    @Test
    void result_calledTwice_isRefusedAndSoAreLaterEntries() {
        BoundedSum sum = BoundedSum.builder().epsilon(EPSILON).bounds(0, 1).random(RandomSource.seeded(1)).build();
        sum.addEntry(1).result();
        assertThatThrownBy(sum::result).isInstanceOf(IllegalStateException.class).hasMessageContaining("spends its budget once");
        assertThatThrownBy(() -> sum.addEntry(1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("build a new one");
    }

    @Test
    void builders_badParameters_areRefusedWithTheProvidedValue() {
        assertThatThrownBy(() -> BoundedSum.builder().epsilon(BigDecimal.ZERO)).hasMessage("epsilon must be > 0. Provided value: 0");
        assertThatThrownBy(() -> BoundedSum.builder().epsilon(EPSILON).build()).hasMessage("bounds must be set");
        assertThatThrownBy(() -> BoundedSum.builder().bounds(5, 1)).hasMessage("lower must be <= upper. Provided values: 5.0, 1.0");
        assertThatThrownBy(() -> BoundedCount.builder().maxContributionsPerPartition(0))
                .hasMessage("maxContributionsPerPartition must be > 0. Provided value: 0");
        assertThatThrownBy(() -> BoundedCount.builder().epsilon(EPSILON).noise(ZeroNoise.gaussian()).build())
                .hasMessage("delta must be in (0, 1). Provided value: 0.0");
        assertThatThrownBy(() -> BoundedCount.builder().epsilon(EPSILON).delta(1e-6).noise(ZeroNoise.laplace()).build())
                .hasMessageStartingWith("delta must be 0 for the Laplace mechanism");
        assertThatThrownBy(() -> BoundedCount.builder().epsilon(EPSILON).build().addUnit(-1))
                .hasMessage("entries must be >= 0. Provided value: -1");
    }
}
