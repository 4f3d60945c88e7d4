package org.datasandbox.dp.aggregation;

import org.datasandbox.dp.noise.RandomSource;

/** Linf contribution bounding for one unit's entries: a uniform random subset of at most {@code limit}. */
final class UnitSampling {
    private UnitSampling() {
    }

    static double[] atMost(double[] entries, long limit, RandomSource random) {
        if (entries.length <= limit) {
            return entries;
        }
        double[] copy = entries.clone();
        int keep = (int) limit;
        for (int i = 0; i < keep; i++) { // partial Fisher-Yates
            int j = i + (int) random.nextLong(copy.length - i);
            double swap = copy[i];
            copy[i] = copy[j];
            copy[j] = swap;
        }
        return java.util.Arrays.copyOf(copy, keep);
    }
}
