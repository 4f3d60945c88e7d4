package org.datasandbox.dp.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import org.datasandbox.dp.calibration.AnalyticGaussian;
import org.junit.jupiter.api.Test;

/**
 * The conversion is an upper bound on the truth and tighter than Bun-Steinke. The truth for a Gaussian
 * of rho = 1/(2 sigma^2) is its exact privacy profile (the analytic Gaussian): at the converted epsilon
 * its delta must be at most the asked delta, and not far below it.
 */
class ZcdpConversionTest {

    @Test
    void epsilon_boundsTheGaussiansExactProfileFromAbove() {
        for (double sigma : new double[] {0.7, 2, 5, 20}) {
            double rho = 1 / (2 * sigma * sigma);
            for (double delta : new double[] {1e-3, 1e-6, 1e-9}) {
                double epsilon = ZcdpConversion.epsilon(rho, delta);
                assertThat(AnalyticGaussian.delta(sigma, epsilon, 1)).as("sigma %s delta %s", sigma, delta).isLessThanOrEqualTo(delta);
                assertThat(epsilon).isLessThanOrEqualTo(rho + 2 * Math.sqrt(rho * Math.log(1 / delta)));
                // tight: within 25% of the exact epsilon of that Gaussian
                assertThat(AnalyticGaussian.delta(sigma, epsilon / 1.25, 1)).isGreaterThan(delta);
            }
        }
    }

    @Test
    void maxRho_isTheInverse() {
        double rho = ZcdpConversion.maxRho(1, 1e-6);
        assertThat(ZcdpConversion.epsilon(rho, 1e-6)).isLessThanOrEqualTo(1).isGreaterThan(0.999999);
    }

    @Test
    void epsilon_zeroRho_isZero() {
        assertThat(ZcdpConversion.epsilon(0, 1e-6)).isZero();
    }
}
