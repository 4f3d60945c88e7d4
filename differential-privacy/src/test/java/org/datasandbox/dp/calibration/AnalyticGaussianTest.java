package org.datasandbox.dp.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;

/**
 * The calibration against an independent oracle: the hockey-stick divergence of two Gaussians
 * integrated numerically, {@code delta = integral of max(0, p(y) - e^eps p(y - Delta)) dy}, which knows
 * nothing of Balle and Wang's closed form.
 */
class AnalyticGaussianTest {

    private static double hockeyStick(double sigma, double epsilon, double sensitivity) {
        double lo = -40 * sigma;
        double hi = 40 * sigma + sensitivity;
        int steps = 400_000;
        double h = (hi - lo) / steps;
        double sum = 0;
        for (int i = 0; i <= steps; i++) {
            double y = lo + i * h;
            double p = Math.exp(-y * y / (2 * sigma * sigma));
            double q = Math.exp(-(y - sensitivity) * (y - sensitivity) / (2 * sigma * sigma));
            double f = Math.max(0, p - Math.exp(epsilon) * q);
            sum += (i == 0 || i == steps ? 1 : i % 2 == 1 ? 4 : 2) * f;
        }
        return sum * h / 3 / (sigma * Math.sqrt(2 * Math.PI));
    }

    @Test
    void delta_matchesTheNumericalHockeyStickDivergence() {
        for (double[] c : new double[][] {{1, 1, 1}, {3.7, 1, 1}, {10, 0.5, 2}, {0.8, 2, 1}}) {
            assertThat(AnalyticGaussian.delta(c[0], c[1], c[2])).as("sigma %s eps %s", c[0], c[1])
                    .isCloseTo(hockeyStick(c[0], c[1], c[2]), Percentage.withPercentage(1e-3));
        }
    }

    @Test
    void sigma_isTheSmallestThatMeetsDelta() {
        double sigma = AnalyticGaussian.sigma(1, 1e-5, 1);
        assertThat(hockeyStick(sigma, 1, 1)).isLessThanOrEqualTo(1e-5 * (1 + 1e-4));
        assertThat(hockeyStick(sigma * 0.99, 1, 1)).isGreaterThan(1e-5);
        // and well below the classical sqrt(2 ln(1.25/delta)) / epsilon = 4.84
        assertThat(sigma).isBetween(3.5, 3.9);
    }

    @Test
    void sigma_scalesWithTheSensitivity() {
        assertThat(AnalyticGaussian.sigma(0.5, 1e-6, 10)).isCloseTo(10 * AnalyticGaussian.sigma(0.5, 1e-6, 1),
                Percentage.withPercentage(1e-6));
    }

    @Test
    void sigma_badParameters_areRefused() {
        assertThatThrownBy(() -> AnalyticGaussian.sigma(0, 1e-5, 1)).hasMessage("epsilon must be > 0. Provided value: 0.0");
        assertThatThrownBy(() -> AnalyticGaussian.sigma(1, 0, 1)).hasMessage("delta must be in (0, 1). Provided value: 0.0");
        assertThatThrownBy(() -> AnalyticGaussian.sigma(1, 1e-5, -1)).hasMessage("sensitivity must be > 0. Provided value: -1.0");
    }

    @Test
    void normalUpperTail_deepInTheTail_keepsItsRelativePrecision() {
        // P(Z > 5) = 2.866515718791939e-7, P(Z > 10) = 7.619853024160527e-24 (reference values)
        assertThat(Normal.upperTail(5)).isCloseTo(2.866515718791939e-7, Percentage.withPercentage(1e-9));
        assertThat(Normal.upperTail(10)).isCloseTo(7.619853024160527e-24, Percentage.withPercentage(1e-9));
        assertThat(Normal.cdf(1.959963984540054)).isCloseTo(0.975, Percentage.withPercentage(1e-11));
    }
}
