package org.datasandbox.dp.noise;

import java.math.BigDecimal;
import java.util.Objects;
import org.datasandbox.dp.DpPreconditions;
import org.datasandbox.dp.accounting.PrivacyLoss;
import org.datasandbox.dp.accounting.ZcdpConversion;
import org.datasandbox.dp.calibration.AnalyticGaussian;
import org.datasandbox.dp.calibration.DiscreteGaussianPrivacy;

/**
 * Discrete Gaussian noise calibrated to (epsilon, delta) for the L2 sensitivity {@code sqrt(l0) * linf}.
 *
 * <p>One value per unit ({@code l0 = 1}, integer sensitivity): sigma from the analytic Gaussian of Balle
 * and Wang, then checked against the exact delta of the discrete Gaussian (Canonne, Kamath and Steinke,
 * Theorem 7; above sigma 1e5 a rigorous bound of it from continuous tails) and raised by 0.1% steps until
 * that holds too. Several values per unit: the smallest sigma
 * whose zCDP {@code rho = L2^2 / (2 sigma^2)} converts to (epsilon, delta), which holds for the
 * multivariate discrete Gaussian as it does for the continuous one.
 */
final class GaussianNoise implements Noise {
    private final RandomSource random;

    GaussianNoise(RandomSource random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public Mechanism mechanism() {
        return Mechanism.DISCRETE_GAUSSIAN;
    }

    @Override
    public IntegerNoise calibrate(long l0, long linf, BigDecimal epsilon, double delta) {
        DpPreconditions.checkPositive(l0, "l0");
        DpPreconditions.checkPositive(linf, "linf");
        double eps = DpPreconditions.checkEpsilon(epsilon).doubleValue();
        DpPreconditions.checkDelta(delta);
        double l2 = Math.sqrt(l0) * linf;
        double sigma;
        if (l0 == 1) {
            // the analytic sigma, raised until the discrete Gaussian's own delta holds: exact up to the
            // limit of the sums, a rigorous bound from continuous tails above it
            sigma = AnalyticGaussian.sigma(eps, delta, l2);
            while (discreteDelta(sigma, linf, eps) > delta) {
                sigma *= 1.001;
            }
        } else {
            sigma = l2 / Math.sqrt(2 * ZcdpConversion.maxRho(eps, delta));
        }
        return DiscreteGaussian.of(sigma, PrivacyLoss.gaussian(eps, delta, DiscreteGaussianPrivacy.rho(sigma, l2)), random);
    }

    @Override
    public IntegerNoise calibrateZcdp(long l0, long linf, double rho, double delta) {
        DpPreconditions.checkPositive(l0, "l0");
        DpPreconditions.checkPositive(linf, "linf");
        DpPreconditions.checkPositive(rho, "rho");
        DpPreconditions.checkDelta(delta);
        double l2 = Math.sqrt(l0) * linf;
        // a hair above L2 / sqrt(2 rho), so that floating-point rounding never states more than rho
        double sigma = l2 / Math.sqrt(2 * rho) * (1 + 1e-12);
        double spent = DiscreteGaussianPrivacy.rho(sigma, l2);
        return DiscreteGaussian.of(sigma, PrivacyLoss.gaussian(ZcdpConversion.epsilon(spent, delta), delta, spent), random);
    }

    private static double discreteDelta(double sigma, long sensitivity, double epsilon) {
        return sigma <= DiscreteGaussianPrivacy.EXACT_SIGMA_LIMIT ? DiscreteGaussianPrivacy.delta(sigma, sensitivity, epsilon)
                : DiscreteGaussianPrivacy.deltaBound(sigma, sensitivity, epsilon);
    }
}
