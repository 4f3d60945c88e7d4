package org.datasandbox.dp.noise;

import java.math.BigInteger;

/**
 * Bernoulli draws with probability {@code exp(-n/d)} for integers n and d, exactly: Canonne, Kamath and
 * Steinke (2020), Algorithm 1, on integers only. Shared by the discrete Laplace and discrete Gaussian
 * samplers and permute-and-flip selection. Arguments too large for long arithmetic take the same
 * algorithm on {@link BigInteger}s.
 */
public final class ExactBernoulli {
    private ExactBernoulli() {
    }

    /** True with probability {@code exp(-n/d)}, for {@code n >= 0} and {@code d >= 1}. */
    public static boolean exp(long n, long d, RandomSource random) {
        if (n < 0 || d < 1) {
            throw new IllegalArgumentException("need n >= 0 and d >= 1. Provided values: " + n + ", " + d);
        }
        long whole = n / d;
        for (long i = 0; i < whole; i++) {
            if (!expAtMostOne(1, 1, random)) {
                return false;
            }
        }
        long rest = n - whole * d;
        if (d > Long.MAX_VALUE / 64) {
            return expAtMostOne(BigInteger.valueOf(rest), BigInteger.valueOf(d), random);
        }
        return expAtMostOne(rest, d, random);
    }

    /** True with probability {@code exp(-n/d)}, for {@code n >= 0} and {@code d >= 1}. */
    public static boolean exp(BigInteger n, BigInteger d, RandomSource random) {
        if (n.signum() < 0 || d.signum() <= 0) {
            throw new IllegalArgumentException("need n >= 0 and d >= 1");
        }
        if (n.bitLength() < 63 && d.bitLength() < 63) {
            return exp(n.longValue(), d.longValue(), random);
        }
        BigInteger[] split = n.divideAndRemainder(d);
        for (BigInteger i = BigInteger.ZERO; i.compareTo(split[0]) < 0; i = i.add(BigInteger.ONE)) {
            if (!expAtMostOne(1, 1, random)) {
                return false;
            }
        }
        return expAtMostOne(split[1], d, random);
    }

    /** Bernoulli(exp(-γ)) for γ = n/d in [0, 1]: the first k with U_k >= γ/k is odd with probability e^-γ. */
    private static boolean expAtMostOne(long n, long d, RandomSource random) {
        long k = 1;
        while (random.nextLong(Math.multiplyExact(d, k)) < n) {
            k++;
        }
        return k % 2 == 1;
    }

    private static boolean expAtMostOne(BigInteger n, BigInteger d, RandomSource random) {
        long k = 1;
        while (random.nextBigInteger(d.multiply(BigInteger.valueOf(k))).compareTo(n) < 0) {
            k++;
        }
        return k % 2 == 1;
    }
}
