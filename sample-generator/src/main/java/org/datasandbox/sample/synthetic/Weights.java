package org.datasandbox.sample.synthetic;

import java.util.SplittableRandom;

/** Drawing an index in proportion to non-negative weights. */
final class Weights {
    private Weights() {
    }

    /** An index in {@code [from, to)} in proportion to its weight; uniform when they are all zero. */
    static int draw(double[] weights, int from, int to, SplittableRandom random) {
        double total = 0;
        for (int i = from; i < to; i++) {
            total += Math.max(0, weights[i]);
        }
        if (!(total > 0)) {
            return from + random.nextInt(to - from);
        }
        double target = random.nextDouble() * total;
        for (int i = from; i < to; i++) {
            target -= Math.max(0, weights[i]);
            if (target < 0) {
                return i;
            }
        }
        return to - 1;
    }

    static int draw(double[] weights, SplittableRandom random) {
        return draw(weights, 0, weights.length, random);
    }

    /** The index in {@code [from, to)} of a prefix-summed array where {@code target} falls. */
    static int search(double[] cumulative, int from, int to, double target) {
        int lo = from;
        int hi = to - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > target) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
