package org.datasandbox.dp.aggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.assertj.core.data.Offset;
import org.datasandbox.dp.accounting.ZcdpConversion;
import org.datasandbox.dp.noise.Mechanism;
import org.datasandbox.dp.noise.Noise;
import org.datasandbox.dp.noise.RandomSource;
import org.datasandbox.dp.testing.ZeroNoise;
import org.junit.jupiter.api.Test;

/**
 * Aggregations fed with totals computed elsewhere (the guard's SQL), and budgets stated as zCDP rho: the values
 * are those of the entries, the sensitivity pays one grid step for rounding a total, and rho is never exceeded.
 */
class PartialAggregationsTest {
    private static final BigDecimal EPSILON = BigDecimal.ONE;

    @Test
    void sum_fromPartials_isTheTotalOnTheGrid() {
        DpResult result = BoundedSum.builder().epsilon(EPSILON).bounds(0, 100).fromPartials().noise(ZeroNoise.laplace())
                .build().addPartialSum(250.5).addPartialSum(49.5).result();
        assertThat(result.value()).isCloseTo(300, Offset.offset(1e-3));
    }

    @Test
    void sum_fromPartials_paysOneGridStepMoreThanEntries() {
        DpResult entries = BoundedSum.builder().epsilon(EPSILON).bounds(0, 100).noise(ZeroNoise.laplace()).build()
                .result();
        DpResult partials = BoundedSum.builder().epsilon(EPSILON).bounds(0, 100).fromPartials().noise(ZeroNoise.laplace())
                .build().result();
        assertThat(partials.interval().upper()).isGreaterThan(entries.interval().upper());
    }

    @Test
    void sum_partialWithoutFromPartials_isRefused() {
        BoundedSum sum = BoundedSum.builder().epsilon(EPSILON).bounds(0, 100).noise(ZeroNoise.laplace()).build();
        assertThatThrownBy(() -> sum.addPartialSum(10)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("fromPartials");
    }

    @Test
    void mean_fromPartials_equalsTheMeanOfTheEntries() {
        BoundedMean fromEntries = BoundedMean.builder().epsilon(EPSILON).bounds(10, 90).noise(ZeroNoise.laplace()).build();
        for (double value : new double[] {20, 30, 70}) {
            fromEntries.addEntry(value);
        }
        DpResult partial = BoundedMean.builder().epsilon(EPSILON).bounds(10, 90).fromPartials().noise(ZeroNoise.laplace())
                .build().addPartial(120, 3).result();
        assertThat(partial.value()).isCloseTo(40, Offset.offset(1e-3)).isCloseTo(fromEntries.result().value(),
                Offset.offset(1e-3));
    }

    @Test
    void count_partialCount_addsUp() {
        DpResult result = BoundedCount.builder().epsilon(EPSILON).maxContributionsPerPartition(3).noise(ZeroNoise.laplace())
                .build().addPartialCount(7).addPartialCount(5).result();
        assertThat(result.value()).isEqualTo(12);
        assertThatThrownBy(() -> BoundedCount.builder().epsilon(EPSILON).noise(ZeroNoise.laplace()).build()
                .addPartialCount(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void zcdp_gaussian_spendsAtMostRhoAndStatesItsEpsilonAtDelta() {
        DpResult result = BoundedCount.builder().zcdp(0.02).delta(1e-6).maxPartitionsContributed(4)
                .maxContributionsPerPartition(2).noise(ZeroNoise.gaussian()).build().addPartialCount(9).result();
        assertThat(result.mechanism()).isEqualTo(Mechanism.DISCRETE_GAUSSIAN);
        assertThat(result.loss().rho()).isLessThanOrEqualTo(0.02).isGreaterThan(0.0199);
        assertThat(result.loss().epsilon()).isCloseTo(ZcdpConversion.epsilon(0.02, 1e-6), Offset.offset(1e-6));
        // L2 sensitivity sqrt(4) * 2 = 4: sigma = 4 / sqrt(2 rho) = 20
        long half = Noise.gaussian(RandomSource.seeded(0)).calibrateZcdp(4, 2, 0.02, 1e-6).halfWidth(0.05);
        assertThat(half).isBetween(38L, 41L);
    }

    @Test
    void zcdp_laplace_spendsThePureEpsilonThatFits() {
        DpResult result = BoundedCount.builder().zcdp(0.02).noise(ZeroNoise.laplace()).build().addPartialCount(1).result();
        assertThat(result.loss().epsilon()).isCloseTo(0.2, Offset.offset(1e-5));
        assertThat(result.loss().rho()).isLessThanOrEqualTo(0.02);
    }

    @Test
    void zcdp_andEpsilonBoth_isRefused() {
        assertThatThrownBy(() -> BoundedCount.builder().zcdp(0.02).epsilon(EPSILON).noise(ZeroNoise.laplace()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both");
    }
}
