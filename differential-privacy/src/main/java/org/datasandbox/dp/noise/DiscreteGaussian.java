package org.datasandbox.dp.noise;

import java.math.BigInteger;
import java.util.Objects;
import org.datasandbox.dp.DpPreconditions;
import org.datasandbox.dp.accounting.PrivacyLoss;
import org.datasandbox.dp.accounting.ZcdpConversion;
import org.datasandbox.dp.calibration.DiscreteGaussianPrivacy;
import org.datasandbox.dp.calibration.Normal;

/**
 * The discrete Gaussian on the integers, {@code P(x) ∝ exp(-x^2 / (2 sigma^2))}, sampled exactly by
 * rejection from the discrete Laplace: Canonne, Kamath and Steinke (2020), Algorithm 3. With
 * {@code t = floor(sigma) + 1}, draw Y from the discrete Laplace of scale t and keep it with probability
 * {@code exp(-(|Y| - sigma^2/t)^2 / (2 sigma^2))}, an exact Bernoulli on integers.
 *
 * <p>sigma^2 is held as a rational {@code n / d}, rounded up from the calibrated sigma with at least
 * 20 bits of precision (rounding up only adds noise); the accept test runs on longs and falls back to
 * {@link BigInteger}s when the square overflows (sigma beyond about a thousand).
 */
public final class DiscreteGaussian implements IntegerNoise {
    private static final long PRECISION = 1L << 20;

    private final long varianceNumerator;   // sigma^2 = varianceNumerator / varianceDenominator
    private final long varianceDenominator;
    private final long t;
    private final double sigma;
    private final PrivacyLoss loss;
    private final DiscreteLaplace laplace;
    private final RandomSource random;
    private final long acceptDenominator; // 2 n d t^2, or -1 when it overflows a long
    private double normalizer = Double.NaN; // lazily, for the exact tails

    private DiscreteGaussian(double sigma, PrivacyLoss loss, RandomSource random) {
        DpPreconditions.checkPositive(sigma, "sigma");
        if (sigma > 1e9 || sigma < 1e-3) {
            throw new IllegalArgumentException("sigma must be in [0.001, 1e9]. Provided value: " + sigma);
        }
        double variance = sigma * sigma;
        long denominator = 1;
        while (variance * denominator < PRECISION) {
            denominator <<= 1;
        }
        this.varianceDenominator = denominator;
        this.varianceNumerator = (long) Math.ceil(variance * denominator);
        this.sigma = Math.sqrt((double) varianceNumerator / varianceDenominator);
        this.t = isqrt(varianceNumerator / varianceDenominator) + 1;
        this.loss = Objects.requireNonNull(loss, "loss");
        this.random = Objects.requireNonNull(random, "random");
        this.laplace = DiscreteLaplace.withScale(t, 1, random);
        long product;
        try {
            product = Math.multiplyExact(Math.multiplyExact(2 * varianceNumerator, varianceDenominator), Math.multiplyExact(t, t));
        } catch (ArithmeticException overflow) {
            product = -1;
        }
        this.acceptDenominator = product;
    }

    /** Noise sigma whose privacy loss the calibration computed ({@link GaussianNoise} does so). */
    public static DiscreteGaussian of(double sigma, PrivacyLoss loss, RandomSource random) {
        return new DiscreteGaussian(sigma, loss, random);
    }

    /** Noise sigma for L2 sensitivity 1, its (epsilon, delta) stated at delta 1e-6; for tests of the distribution. */
    public static DiscreteGaussian withSigma(double sigma, RandomSource random) {
        DpPreconditions.checkPositive(sigma, "sigma");
        double rho = DiscreteGaussianPrivacy.rho(sigma, 1);
        return new DiscreteGaussian(sigma, PrivacyLoss.gaussian(ZcdpConversion.epsilon(rho, 1e-6), 1e-6, rho), random);
    }

    /** sigma as sampled (the calibrated one rounded up by at most a relative 2^-20). */
    public double sigma() {
        return sigma;
    }

    @Override
    public Mechanism mechanism() {
        return Mechanism.DISCRETE_GAUSSIAN;
    }

    @Override
    public PrivacyLoss loss() {
        return loss;
    }

    @Override
    public long sample() {
        while (true) {
            long y = laplace.sample();
            if (accept(Math.abs(y))) {
                return y;
            }
        }
    }

    /** Bernoulli(exp(-(y t d - n)^2 / (2 n d t^2))), which is exp(-(|Y| - sigma^2/t)^2 / (2 sigma^2)). */
    private boolean accept(long y) {
        if (acceptDenominator > 0) {
            try {
                long a = Math.subtractExact(Math.multiplyExact(Math.multiplyExact(y, t), varianceDenominator), varianceNumerator);
                return ExactBernoulli.exp(Math.multiplyExact(a, a), acceptDenominator, random);
            } catch (ArithmeticException overflow) {
                // fall through to exact big-integer arithmetic
            }
        }
        BigInteger n = BigInteger.valueOf(varianceNumerator);
        BigInteger d = BigInteger.valueOf(varianceDenominator);
        BigInteger bigT = BigInteger.valueOf(t);
        BigInteger a = BigInteger.valueOf(y).multiply(bigT).multiply(d).subtract(n);
        BigInteger denominator = n.multiply(d).multiply(bigT).multiply(bigT).shiftLeft(1);
        return ExactBernoulli.exp(a.multiply(a), denominator, random);
    }

    private static long isqrt(long value) {
        long r = (long) Math.sqrt((double) value);
        while (r * r > value) {
            r--;
        }
        while ((r + 1) * (r + 1) <= value) {
            r++;
        }
        return r;
    }

    private boolean exact() {
        return sigma <= DiscreteGaussianPrivacy.EXACT_SIGMA_LIMIT;
    }

    private double weight(long x) {
        return Math.exp(-(double) x * x / (2 * sigma * sigma));
    }

    private long end() {
        return (long) Math.ceil(39 * sigma) + 2;
    }

    private double normalizer() {
        if (Double.isNaN(normalizer)) {
            double sum = 1;
            for (long x = 1; x <= end(); x++) {
                sum += 2 * weight(x);
            }
            normalizer = sum;
        }
        return normalizer;
    }

    /** Exact up to sigma 1e4; above, sigma^2 itself, from which it differs by less than exp(-2 pi^2 sigma^2). */
    @Override
    public double variance() {
        if (sigma > 1e4) {
            return sigma * sigma;
        }
        double sum = 0;
        for (long x = 1; x <= end(); x++) {
            sum += 2 * (double) x * x * weight(x);
        }
        return sum / normalizer();
    }

    /**
     * Exact up to sigma 1e5. Above, the continuous tail {@code P(|Z| > k)}, which bounds the discrete one
     * from above: the sum over x > k is below the integral from k, and the normalizer is at least
     * {@code sqrt(2 pi) sigma} (Poisson summation), so intervals stay valid, only a little wider.
     */
    @Override
    public double twoSidedTail(long k) {
        if (k < 0) {
            return 1;
        }
        if (!exact()) {
            return 2 * Normal.upperTail(k / sigma);
        }
        double tail = 0;
        for (long x = end(); x > k; x--) {
            tail += weight(x);
        }
        return Math.min(1, 2 * tail / normalizer());
    }

    @Override
    public long halfWidth(double alpha) {
        DpPreconditions.checkAlpha(alpha);
        long k = alpha >= 1 ? 0 : (long) Math.ceil(sigma * Normal.upperQuantile(Math.min(0.5, alpha / 2)));
        // the continuous quantile is an upper bound (see twoSidedTail); step down to the exact one
        while (k > 0 && twoSidedTail(k - 1) <= alpha) {
            k--;
        }
        while (twoSidedTail(k) > alpha) {
            k++;
        }
        return k;
    }
}
