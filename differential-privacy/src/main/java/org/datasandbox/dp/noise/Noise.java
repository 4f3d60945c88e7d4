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

    static Noise laplace(RandomSource random) {
        return new LaplaceNoise(random);
    }

    static Noise gaussian(RandomSource random) {
        return new GaussianNoise(random);
    }
}
