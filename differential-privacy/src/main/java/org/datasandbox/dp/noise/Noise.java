package org.datasandbox.dp.noise;

import java.math.BigDecimal;

/**
 * Chooses and calibrates the noise of one release: the injection point of every aggregation. Production
 * uses {@link #laplace} or {@link #gaussian} over a secure {@link RandomSource}; unit tests of the
 * surrounding logic inject a zero-noise fake (test code only) that keeps the real calibration.
 */
public interface Noise {

    Mechanism mechanism();

    /**
     * The noise for one release in which each privacy unit changes at most {@code l0} values, each by at
     * most {@code linf} (in integer units): L1 sensitivity {@code l0 * linf}, L2 {@code sqrt(l0) * linf}.
     *
     * @param delta the delta this noise may use: 0 for pure epsilon-DP (Laplace), > 0 for the Gaussian
     */
    IntegerNoise calibrate(long l0, long linf, BigDecimal epsilon, double delta);

    /**
     * The noise for the same release calibrated to a zero-concentrated DP budget {@code rho} instead, for
     * releases whose parts are composed with zCDP (rho adds up). The Gaussian: {@code sigma = L2 / sqrt(2 rho)}
     * with {@code L2 = sqrt(l0) * linf} (Canonne, Kamath and Steinke, Theorem 4: the discrete Gaussian is as
     * private as the continuous one in zCDP). The Laplace: pure epsilon {@code sqrt(2 rho)}, rounded down to 6
     * significant digits, which is {@code epsilon^2 / 2 <= rho}-zCDP.
     *
     * @param delta the delta at which the loss also states an (epsilon, delta)-DP guarantee (ignored by the pure
     *              Laplace, whose loss has none)
     */
    IntegerNoise calibrateZcdp(long l0, long linf, double rho, double delta);

    static Noise laplace(RandomSource random) {
        return new LaplaceNoise(random);
    }

    static Noise gaussian(RandomSource random) {
        return new GaussianNoise(random);
    }
}
