package org.datasandbox.dp.noise;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.datasandbox.dp.DpPreconditions;
import org.datasandbox.dp.accounting.PrivacyLoss;

/**
 * The discrete Laplace distribution on the integers, {@code P(x) = (1 - q) / (1 + q) * q^|x|} with
 * {@code q = exp(-1 / scale)}, sampled exactly: Canonne, Kamath and Steinke (2020), Algorithm 2, with the
 * Bernoulli(exp(-γ)) sampler of their Algorithm 1. Every step works on integers and rationals, so the
 * output carries no floating-point signature of the value it protects.
 *
 * <p>Adding {@code DiscreteLaplace.forEpsilon(epsilon, sensitivity)} noise to an integer query with L1
 * sensitivity {@code sensitivity} gives epsilon-differential privacy: the ratio of the probabilities of
 * one output under two neighbours is at most {@code q^-sensitivity = exp(epsilon)}.
 */
public final class DiscreteLaplace implements IntegerNoise {
    private final long numerator;   // scale = numerator / denominator
    private final long denominator;
    private final long sensitivity;
    private final RandomSource random;

    private DiscreteLaplace(long numerator, long denominator, long sensitivity, RandomSource random) {
        this.numerator = DpPreconditions.checkPositive(numerator, "scale numerator");
        this.denominator = DpPreconditions.checkPositive(denominator, "scale denominator");
        this.sensitivity = DpPreconditions.checkSensitivity(sensitivity);
        this.random = java.util.Objects.requireNonNull(random, "random");
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
                sensitivity, random);
    }

    /** Scale {@code numerator / denominator} for sensitivity 1, for tests of the distribution. */
    public static DiscreteLaplace withScale(long numerator, long denominator, RandomSource random) {
        return new DiscreteLaplace(numerator, denominator, 1, random);
    }

    public double scale() {
        return (double) numerator / denominator;
    }

    /** {@code q = exp(-1 / scale)}, the ratio of the probabilities of two adjacent integers. */
    public double q() {
        return Math.exp(-(double) denominator / numerator);
    }

    @Override
    public Mechanism mechanism() {
        return Mechanism.DISCRETE_LAPLACE;
    }

    @Override
    public PrivacyLoss loss() {
        return PrivacyLoss.pure((double) sensitivity * denominator / numerator);
    }

    @Override
    public double variance() {
        double q = q();
        return 2 * q / ((1 - q) * (1 - q));
    }

    /** {@code P(X >= k)}: {@code q^k / (1 + q)} for {@code k >= 1}, by symmetry otherwise. */
    public static double upperTail(double q, long k) {
        if (k <= 0) {
            return 1 - upperTail(q, 1 - k);
        }
        return Math.exp(k * Math.log(q)) / (1 + q);
    }

    @Override
    public double twoSidedTail(long k) {
        if (k < 0) {
            return 1;
        }
        return 2 * upperTail(q(), k + 1);
    }

    @Override
    public long halfWidth(double alpha) {
        DpPreconditions.checkAlpha(alpha);
        double q = q();
        // 2 q^{k+1} / (1 + q) <= alpha  <=>  k + 1 >= ln(alpha (1 + q) / 2) / ln q
        long k = Math.max(0, (long) Math.ceil(Math.log(alpha * (1 + q) / 2) / Math.log(q)) - 1);
        while (k > 0 && twoSidedTail(k - 1) <= alpha) {
            k--;
        }
        while (twoSidedTail(k) > alpha) {
            k++;
        }
        return k;
    }

    /** One draw. CKS Algorithm 2 with scale t/s where t = numerator, s = denominator. */
    @Override
    public long sample() {
        long t = numerator;
        long s = denominator;
        while (true) {
            long u = random.nextLong(t);
            if (!ExactBernoulli.exp(u, t, random)) {
                continue;
            }
            long v = 0;
            while (ExactBernoulli.exp(1, 1, random)) {
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
}
