package org.datasandbox.dp.testing;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * A stochastic DP tester in the style of Google's statistical tests: run a mechanism many times on two
 * neighbouring datasets, histogram the (bucketed) outputs, and estimate the privacy loss:
 * {@code delta_hat(epsilon) = sum over buckets of max(0, p1 - e^epsilon p2 - slack)}, both ways round.
 * The slack of a bucket is {@value #SIGMAS} standard deviations of the estimate {@code p1 - e^epsilon p2}
 * ({@code sqrt((p1 + e^2epsilon p2) / n)}), so a correct mechanism passes whatever its output shape, with a
 * false-alarm rate per bucket near 3e-7, while a mechanism whose loss exceeds epsilon by a fair margin in
 * any region of outputs with enough mass fails. It knows nothing of the mechanism under test.
 */
public final class DpTester {
    static final double SIGMAS = 5;

    private DpTester() {
    }

    /** The result of one comparison: the estimated delta at the claimed epsilon. */
    public record Verdict(double empiricalDelta, int buckets) {
        public boolean holds(double delta) {
            return empiricalDelta <= delta;
        }
    }

    /**
     * Runs each side {@code runs} times. The suppliers return the bucket of one fresh output (run the
     * mechanism, then map its value to a bucket: the identity for small integers, a coarser cell otherwise).
     */
    public static Verdict test(LongSupplier onFirst, LongSupplier onSecond, int runs, double epsilon) {
        Map<Long, Integer> first = histogram(onFirst, runs);
        Map<Long, Integer> second = histogram(onSecond, runs);
        double factor = Math.exp(epsilon);
        double delta12 = 0;
        double delta21 = 0;
        Set<Long> buckets = new HashSet<>(first.keySet());
        buckets.addAll(second.keySet());
        for (long bucket : buckets) {
            double p1 = first.getOrDefault(bucket, 0) / (double) runs;
            double p2 = second.getOrDefault(bucket, 0) / (double) runs;
            double slack12 = SIGMAS * Math.sqrt((p1 + factor * factor * p2) / runs);
            double slack21 = SIGMAS * Math.sqrt((p2 + factor * factor * p1) / runs);
            delta12 += Math.max(0, p1 - factor * p2 - slack12);
            delta21 += Math.max(0, p2 - factor * p1 - slack21);
        }
        return new Verdict(Math.max(delta12, delta21), buckets.size());
    }

    private static Map<Long, Integer> histogram(LongSupplier mechanism, int runs) {
        Map<Long, Integer> counts = new HashMap<>();
        for (int i = 0; i < runs; i++) {
            counts.merge(mechanism.getAsLong(), 1, Integer::sum);
        }
        return counts;
    }

    /** A bucket of width {@code width} (values far out land in the two outermost buckets, at +-limit). */
    public static long bucket(double value, double width, long limit) {
        long cell = (long) Math.floor(value / width);
        return Math.max(-limit, Math.min(limit, cell));
    }
}
