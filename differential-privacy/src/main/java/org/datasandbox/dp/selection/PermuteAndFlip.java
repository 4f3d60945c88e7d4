package org.datasandbox.dp.selection;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.datasandbox.dp.DpPreconditions;
import org.datasandbox.dp.noise.ExactBernoulli;
import org.datasandbox.dp.noise.RandomSource;

/**
 * Private selection of the best-scoring candidate: permute-and-flip (McKenna and Sheldon, "Permute-and-
 * Flip: A new mechanism for differentially private selection", NeurIPS 2020). Candidates are visited in
 * random order and candidate r is taken with probability {@code exp(ε (q_r - q*) / (2Δ))}; it is ε-DP and
 * never worse in expected score than the exponential mechanism.
 *
 * <p>Scores are first put on an integer grid of {@value #GRID} steps per sensitivity (which widens the
 * sensitivity by one step), so that every acceptance is an exact integer Bernoulli draw and no
 * floating-point rounding depends on the data.
 */
public final class PermuteAndFlip {
    static final long GRID = 1000;

    private PermuteAndFlip() {
    }

    /** The index of the chosen candidate; {@code sensitivity} bounds how much one privacy unit moves a score. */
    public static int select(double[] scores, double sensitivity, BigDecimal epsilon, RandomSource random) {
        DpPreconditions.checkEpsilon(epsilon);
        if (scores.length == 0) {
            throw new IllegalArgumentException("no candidates to select from");
        }
        if (!(sensitivity > 0) || Double.isInfinite(sensitivity)) {
            throw new IllegalArgumentException("sensitivity must be > 0. Provided value: " + sensitivity);
        }
        double step = sensitivity / GRID;
        long[] grid = new long[scores.length];
        long best = Long.MIN_VALUE;
        for (int i = 0; i < scores.length; i++) {
            if (!Double.isFinite(scores[i]) || Math.abs(scores[i] / step) > 1e15) {
                throw new IllegalArgumentException("score " + i + " is not finite or too large for its sensitivity");
            }
            grid[i] = (long) Math.floor(scores[i] / step);
            best = Math.max(best, grid[i]);
        }
        // γ_r = (best - q_r) · ε / (2 (GRID + 1)), as the exact fraction n / d with ε = a / b
        BigInteger a = epsilon.unscaledValue();
        BigInteger b = BigInteger.TEN.pow(Math.max(0, epsilon.scale()));
        if (epsilon.scale() < 0) {
            a = a.multiply(BigInteger.TEN.pow(-epsilon.scale()));
        }
        BigInteger d = b.multiply(BigInteger.valueOf(2 * (GRID + 1)));
        int[] order = permutation(scores.length, random);
        for (int r : order) {
            BigInteger n = BigInteger.valueOf(best - grid[r]).multiply(a);
            BigInteger gcd = n.gcd(d);
            BigInteger num = gcd.signum() == 0 ? BigInteger.ZERO : n.divide(gcd);
            BigInteger den = gcd.signum() == 0 ? BigInteger.ONE : d.divide(gcd);
            if (ExactBernoulli.exp(num.longValueExact(), den.longValueExact(), random)) {
                return r;
            }
        }
        throw new IllegalStateException("unreachable: the best candidate is always taken");
    }

    private static int[] permutation(int size, RandomSource random) {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        for (int i = size - 1; i > 0; i--) {
            int j = (int) random.nextLong(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }
}
