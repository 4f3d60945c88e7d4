package org.datasandbox.dp.noise;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Intervals and calibration of the discrete Laplace, against sums of its mass function written here. */
class DiscreteLaplaceIntervalTest {

    private static double outside(double scale, long k) {
        double q = Math.exp(-1 / scale);
        double inside = 0;
        for (long x = -k; x <= k; x++) {
            inside += (1 - q) / (1 + q) * Math.pow(q, Math.abs(x));
        }
        return 1 - inside;
    }

    @Test
    void halfWidth_isTheSmallestKWhoseTwoSidedTailIsAtMostAlpha() {
        for (String epsilon : new String[] {"0.1", "0.5", "1", "3", "10"}) {
            DiscreteLaplace laplace = DiscreteLaplace.forEpsilon(new BigDecimal(epsilon), 2, RandomSource.seeded(1));
            for (double alpha : new double[] {0.5, 0.05, 0.001}) {
                long k = laplace.halfWidth(alpha);
                assertThat(outside(laplace.scale(), k)).as("eps %s alpha %s", epsilon, alpha).isLessThanOrEqualTo(alpha + 1e-12);
                if (k > 0) {
                    assertThat(outside(laplace.scale(), k - 1)).as("eps %s alpha %s", epsilon, alpha).isGreaterThan(alpha);
                }
            }
        }
    }

    @Test
    void halfWidth_coversTheTrueValueAtLeastAsOftenAsPromised() {
        DiscreteLaplace laplace = DiscreteLaplace.forEpsilon(new BigDecimal("0.3"), 1, RandomSource.seeded(5));
        long k = laplace.halfWidth(0.1);
        int covered = 0;
        int draws = 50_000;
        for (int i = 0; i < draws; i++) {
            if (Math.abs(laplace.addNoise(1000) - 1000) <= k) {
                covered++;
            }
        }
        assertThat((double) covered / draws).isGreaterThan(0.9 - 6 * Math.sqrt(0.09 / draws));
    }

    @Test
    void loss_isPureEpsilonOverTheSensitivity() {
        DiscreteLaplace laplace = DiscreteLaplace.forEpsilon(new BigDecimal("0.25"), 4, RandomSource.seeded(1));
        assertThat(laplace.scale()).isEqualTo(16.0);
        assertThat(laplace.loss().epsilon()).isEqualTo(0.25);
        assertThat(laplace.loss().delta()).isZero();
        assertThat(laplace.loss().rho()).isEqualTo(0.25 * 0.25 / 2);
        assertThat(laplace.mechanism()).isEqualTo(Mechanism.DISCRETE_LAPLACE);
    }
}
