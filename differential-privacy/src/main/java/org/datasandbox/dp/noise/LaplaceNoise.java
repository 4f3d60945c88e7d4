package org.datasandbox.dp.noise;

import java.math.BigDecimal;
import java.util.Objects;
import org.datasandbox.dp.DpPreconditions;
import org.datasandbox.dp.accounting.ZcdpConversion;

/** Discrete Laplace of scale {@code L1 / epsilon} with {@code L1 = l0 * linf}: pure epsilon-DP, no delta. */
final class LaplaceNoise implements Noise {
    private final RandomSource random;

    LaplaceNoise(RandomSource random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public Mechanism mechanism() {
        return Mechanism.DISCRETE_LAPLACE;
    }

    @Override
    public IntegerNoise calibrate(long l0, long linf, BigDecimal epsilon, double delta) {
        DpPreconditions.checkPositive(l0, "l0");
        DpPreconditions.checkPositive(linf, "linf");
        return DiscreteLaplace.forEpsilon(epsilon, Math.multiplyExact(l0, linf), random);
    }

    @Override
    public IntegerNoise calibrateZcdp(long l0, long linf, double rho, double delta) {
        return calibrate(l0, linf, ZcdpConversion.pureEpsilon(rho), 0);
    }
}
