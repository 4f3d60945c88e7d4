package org.datasandbox.dp.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;

/**
 * The sampler against the exact mass function {@code exp(-x^2 / 2 sigma^2) / N}, computed here
 * independently of the class; seeded sources, false-alarm rates far below one in a million.
 */
class DiscreteGaussianTest {
    private static final int DRAWS = 200_000;

    private static double[] pmf(double sigma, int bound) {
        double[] p = new double[2 * bound + 1];
        double sum = 0;
        for (int x = -bound; x <= bound; x++) {
            p[x + bound] = Math.exp(-(double) x * x / (2 * sigma * sigma));
            sum += p[x + bound];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    private static void assertMatches(DiscreteGaussian gaussian, double sigma) {
        Map<Long, Integer> counts = new HashMap<>();
        for (int i = 0; i < DRAWS; i++) {
            counts.merge(gaussian.sample(), 1, Integer::sum);
        }
        int bound = (int) Math.ceil(40 * sigma) + 2;
        double[] p = pmf(sigma, bound);
        double chi2 = 0;
        int cells = 0;
        double restExpected = 0;
        int restObserved = 0;
        for (int x = -bound; x <= bound; x++) {
            double expected = DRAWS * p[x + bound];
            int observed = counts.getOrDefault((long) x, 0);
            if (expected >= 5) {
                chi2 += (observed - expected) * (observed - expected) / expected;
                cells++;
            } else {
                restExpected += expected;
                restObserved += observed;
            }
        }
        chi2 += (restObserved - restExpected) * (restObserved - restExpected) / Math.max(restExpected, 1e-9);
        assertThat(counts.keySet().stream().mapToLong(Math::abs).max().orElse(0)).isLessThan(bound);
        assertThat(chi2).as("chi-square over %d cells", cells + 1).isLessThan(cells + 8 * Math.sqrt(2.0 * cells));
    }

    @Test
    void sample_sigmaOneAndAHalf_followsTheExactMassFunction() {
        assertMatches(DiscreteGaussian.withSigma(1.5, RandomSource.seeded(11)), 1.5);
    }

    @Test
    void sample_sigmaBelowOne_followsTheExactMassFunction() {
        assertMatches(DiscreteGaussian.withSigma(0.6, RandomSource.seeded(12)), 0.6);
    }

    @Test
    void sample_sigmaSeven_followsTheExactMassFunction() {
        assertMatches(DiscreteGaussian.withSigma(7, RandomSource.seeded(13)), 7);
    }

    @Test
    void sample_largeSigmaOnBigIntegers_hasMeanZeroAndVarianceSigmaSquared() {
        double sigma = 250_000; // the accept test overflows longs: the big-integer path
        DiscreteGaussian gaussian = DiscreteGaussian.withSigma(sigma, RandomSource.seeded(14));
        int draws = 20_000;
        double sum = 0;
        double squares = 0;
        for (int i = 0; i < draws; i++) {
            double x = gaussian.sample();
            sum += x;
            squares += x * x;
        }
        assertThat(Math.abs(sum / draws)).isLessThan(6 * sigma / Math.sqrt(draws));
        // the variance estimate has a relative sd of sqrt(2 / n) = 1%
        assertThat(squares / draws).isCloseTo(sigma * sigma, Percentage.withPercentage(6));
    }

    @Test
    void variance_smallSigma_isTheExactSecondMoment() {
        double sigma = 0.8;
        double[] p = pmf(sigma, 60);
        double expected = 0;
        for (int x = -60; x <= 60; x++) {
            expected += (double) x * x * p[x + 60];
        }
        assertThat(DiscreteGaussian.withSigma(sigma, RandomSource.seeded(1)).variance()).isCloseTo(expected, Percentage.withPercentage(1e-4));
    }

    @Test
    void halfWidth_isTheSmallestKWhoseTwoSidedTailIsAtMostAlpha() {
        for (double sigma : new double[] {0.7, 3, 40, 900}) {
            int bound = (int) Math.ceil(40 * sigma) + 2;
            double[] p = pmf(sigma, bound);
            long k = DiscreteGaussian.withSigma(sigma, RandomSource.seeded(1)).halfWidth(0.05);
            assertThat(outside(p, bound, k)).as("sigma %s", sigma).isLessThanOrEqualTo(0.05 * (1 + 1e-9));
            if (k > 0) {
                assertThat(outside(p, bound, k - 1)).as("sigma %s", sigma).isGreaterThan(0.05);
            }
        }
    }

    @Test
    void halfWidth_beyondTheExactLimit_boundsTheContinuousQuantileFromAbove() {
        DiscreteGaussian gaussian = DiscreteGaussian.withSigma(2e5, RandomSource.seeded(1));
        assertThat(gaussian.halfWidth(0.05)).isBetween(391_992L, 391_994L); // 1.959964 sigma, rounded up
    }

    private static double outside(double[] p, int bound, long k) {
        double inside = 0;
        for (long x = -k; x <= k; x++) {
            inside += p[(int) x + bound];
        }
        return 1 - inside;
    }

    @Test
    void withSigma_outOfRange_isRefused() {
        assertThatThrownBy(() -> DiscreteGaussian.withSigma(0, RandomSource.seeded(1)))
                .hasMessage("sigma must be > 0. Provided value: 0.0");
        assertThatThrownBy(() -> DiscreteGaussian.withSigma(2e9, RandomSource.seeded(1)))
                .hasMessageContaining("sigma must be in");
    }
}
