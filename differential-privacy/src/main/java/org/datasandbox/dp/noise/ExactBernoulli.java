package org.datasandbox.dp.noise;

/**
 * Bernoulli draws with probability {@code exp(-n/d)} for integers n and d, exactly: Canonne, Kamath and
 * Steinke (2020), Algorithm 1, on integers only. Shared by the discrete Laplace sampler and
 * permute-and-flip selection.
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
        return expAtMostOne(n - whole * d, d, random);
    }

    /** Bernoulli(exp(-γ)) for γ = n/d in [0, 1]. */
    private static boolean expAtMostOne(long n, long d, RandomSource random) {
        long k = 1;
        while (random.nextLong(Math.multiplyExact(d, k)) < n) {
            k++;
        }
        return k % 2 == 1;
    }
}
