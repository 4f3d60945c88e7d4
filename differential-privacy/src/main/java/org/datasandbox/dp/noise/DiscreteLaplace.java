package org.datasandbox.dp.noise;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.datasandbox.dp.DpPreconditions;

/**
 * The discrete Laplace distribution on the integers, {@code P(x) ∝ exp(-|x| / scale)}, sampled exactly:
 * Canonne, Kamath and Steinke (2020), Algorithm 2, with the Bernoulli(exp(-γ)) sampler of their
 * Algorithm 1. Every step works on integers and rationals, so the output carries no floating-point
 * signature of the value it protects.
 *
 * <p>Adding {@code DiscreteLaplace.forEpsilon(epsilon, sensitivity)} noise to an integer query with L1
 * sensitivity {@code sensitivity} gives epsilon-differential privacy.
 */
public final class DiscreteLaplace implements NoiseMechanism {
    private final long numerator;   // scale = numerator / denominator
    private final long denominator;
    private final RandomSource random;

    private DiscreteLaplace(long numerator, long denominator, RandomSource random) {
        this.numerator = DpPreconditions.checkPositive(numerator, "scale numerator");
        this.denominator = DpPreconditions.checkPositive(denominator, "scale denominator");
        this.random = random;
    }

    /** Scale {@code sensitivity / epsilon}; epsilon is taken as the exact decimal it is written as. */
    public static DiscreteLaplace forEpsilon(BigDecimal epsilon, long sensitivity, RandomSource random) {
        DpPreconditions.checkEpsilon(epsilon);
        DpPreconditions.checkSensitivity(sensitivity);
        BigInteger unscaled = epsilon.unscaledValue();
        BigInteger power = BigInteger.TEN.pow(Math.max(0, epsilon.scale()));
        BigInteger scaleNumerator = BigInteger.valueOf(sensitivity).multiply(power);
        BigInteger scaleDenominator = epsilon.scale() >= 0 ? unscaled : unscaled.multiply(BigInteger.TEN.pow(-epsilon.scale()));
        BigInteger gcd = scaleNumerator.gcd(scaleDenominator);
        return new DiscreteLaplace(scaleNumerator.divide(gcd).longValueExact(), scaleDenominator.divide(gcd).longValueExact(),
                random);
    }

    /** Scale {@code numerator / denominator}, for tests of the distribution. */
    public static DiscreteLaplace withScale(long numerator, long denominator, RandomSource random) {
        return new DiscreteLaplace(numerator, denominator, random);
    }

    public double scale() {
        return (double) numerator / denominator;
    }

    @Override
    public long addNoise(long value) {
        return Math.addExact(value, sample());
    }

    /** One draw. CKS Algorithm 2 with scale t/s where t = numerator, s = denominator. */
    public long sample() {
        long t = numerator;
        long s = denominator;
        while (true) {
            long u = random.nextLong(t);
            if (!bernoulliExp(u, t)) {
                continue;
            }
            long v = 0;
            while (bernoulliExp(1, 1)) {
                v++;
            }
            long x = u + t * v;
            long y = x / s;
            boolean negative = random.nextLong(2) == 1;
            if (negative && y == 0) {
                continue;
            }
            return negative ? -y : y;
        }
    }

    private boolean bernoulliExp(long n, long d) {
        return ExactBernoulli.exp(n, d, random);
    }
}
