package org.datasandbox.core.dprelease;

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
final class ZeroNoise implements Noise {
    private final Noise real;

    private ZeroNoise(Noise real) {
        this.real = real;
    }

    static ZeroNoise laplace() {
        return new ZeroNoise(Noise.laplace(RandomSource.seeded(0)));
    }

    @Override
    public Mechanism mechanism() {
        return real.mechanism();
    }

    @Override
    public IntegerNoise calibrate(long l0, long linf, BigDecimal epsilon, double delta) {
        IntegerNoise calibrated = real.calibrate(l0, linf, epsilon, delta);
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
}
