package org.datasandbox.dp.testing;

import java.math.BigDecimal;
import org.datasandbox.dp.accounting.PrivacyLoss;
import org.datasandbox.dp.noise.IntegerNoise;
import org.datasandbox.dp.noise.Mechanism;
import org.datasandbox.dp.noise.Noise;
import org.datasandbox.dp.noise.RandomSource;

/**
 * A zero-noise fake for unit tests of the logic around the noise: the real calibration (mechanism,
 * loss, intervals) of the wrapped noise, but every draw is 0. Test code only: never in production.
 */
public final class ZeroNoise implements Noise {
    private final Noise real;

    private ZeroNoise(Noise real) {
        this.real = real;
    }

    public static ZeroNoise laplace() {
        return new ZeroNoise(Noise.laplace(RandomSource.seeded(0)));
    }

    public static ZeroNoise gaussian() {
        return new ZeroNoise(Noise.gaussian(RandomSource.seeded(0)));
    }

    @Override
    public Mechanism mechanism() {
        return real.mechanism();
    }

    /** The zero-noise fake of a mechanism. */
    public static ZeroNoise of(Mechanism mechanism) {
        return mechanism == Mechanism.DISCRETE_GAUSSIAN ? gaussian() : laplace();
    }

    @Override
    public IntegerNoise calibrate(long l0, long linf, BigDecimal epsilon, double delta) {
        return zero(real.calibrate(l0, linf, epsilon, delta));
    }

    @Override
    public IntegerNoise calibrateZcdp(long l0, long linf, double rho, double delta) {
        return zero(real.calibrateZcdp(l0, linf, rho, delta));
    }

    private static IntegerNoise zero(IntegerNoise calibrated) {
        return new IntegerNoise() {
            @Override
            public Mechanism mechanism() {
                return calibrated.mechanism();
            }

            @Override
            public PrivacyLoss loss() {
                return calibrated.loss();
            }

            @Override
            public long sample() {
                return 0;
            }

            @Override
            public double variance() {
                return calibrated.variance();
            }

            @Override
            public long halfWidth(double alpha) {
                return calibrated.halfWidth(alpha);
            }

            @Override
            public double twoSidedTail(long k) {
                return calibrated.twoSidedTail(k);
            }
        };
    }

    /** The bare zero-noise mechanism, for code that takes a {@link org.datasandbox.dp.noise.NoiseMechanism}. */
    public static long none(long value) {
        return value;
    }
}
