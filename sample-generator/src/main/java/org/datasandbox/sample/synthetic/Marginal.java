package org.datasandbox.sample.synthetic;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The measured 1-way marginal of one modelled column: its cells, the noisy number of rows per cell, and
 * how cells are grouped in the 2-way tables. Cells whose noisy count is within a few noise scales of
 * zero share one group (MST's domain compression), so that 2-way tables spend no budget on cells noise
 * would drown anyway.
 */
final class Marginal implements Serializable {
    private static final long serialVersionUID = 3L;
    /** A cell gets its own group in 2-way tables when its noisy count is at least this many noise scales. */
    private static final double OWN_GROUP_SCALES = 3;

    private final Cells cells;
    private final double[] weights;
    private final int[] group;
    private final int groups;
    private final String note;

    /**
     * @param weights noisy rows per cell, non-negative (cells never drawn hold 0)
     * @param scale the noise scale of the weights
     * @param maxGroups groups in 2-way tables, the shared one included
     * @param note why the column is drawn differently from the data ("" when it is not)
     */
    Marginal(Cells cells, double[] weights, double scale, int maxGroups, String note) {
        if (weights.length != cells.size()) {
            throw new IllegalArgumentException("one weight per cell: " + weights.length + " for " + cells.size());
        }
        this.cells = cells;
        this.weights = weights.clone();
        this.note = note;
        this.group = new int[weights.length];
        Integer[] byWeight = IntStream.range(0, weights.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(c -> -weights[c]).thenComparing(c -> c)).toArray(Integer[]::new);
        int own = 0;
        for (int c : byWeight) {
            if (weights[c] >= OWN_GROUP_SCALES * scale && weights[c] > 0 && own < maxGroups - 1) {
                group[c] = own++;
            } else {
                group[c] = -1;
            }
        }
        boolean shared = Arrays.stream(group).anyMatch(g -> g < 0);
        for (int c = 0; c < group.length; c++) {
            if (group[c] < 0) {
                group[c] = own;
            }
        }
        this.groups = own + (shared ? 1 : 0);
    }

    Cells cells() {
        return cells;
    }

    int size() {
        return weights.length;
    }

    double[] weights() {
        return weights.clone();
    }

    double total() {
        return Arrays.stream(weights).sum();
    }

    int groups() {
        return groups;
    }

    int group(int cell) {
        return group[cell];
    }

    /** The cell → group map, for counting groups inside Spark. */
    int[] groupMap() {
        return group.clone();
    }

    /** Noisy rows per group. */
    double[] groupWeights() {
        double[] out = new double[groups];
        for (int c = 0; c < weights.length; c++) {
            out[group[c]] += weights[c];
        }
        return out;
    }

    String note() {
        return note;
    }

    /** A cell drawn in proportion to the weights; within a group when {@code inGroup >= 0}. */
    int drawCell(int inGroup, SplittableRandom random) {
        double total = 0;
        for (int c = 0; c < weights.length; c++) {
            if (inGroup < 0 || group[c] == inGroup) {
                total += weights[c];
            }
        }
        if (!(total > 0)) {
            return inGroup < 0 ? 0 : firstOf(inGroup);
        }
        double target = random.nextDouble() * total;
        int last = 0;
        for (int c = 0; c < weights.length; c++) {
            if (inGroup < 0 || group[c] == inGroup) {
                target -= weights[c];
                if (weights[c] > 0) {
                    last = c;
                }
                if (target < 0 && weights[c] > 0) {
                    return c;
                }
            }
        }
        return last;
    }

    private int firstOf(int g) {
        for (int c = 0; c < group.length; c++) {
            if (group[c] == g) {
                return c;
            }
        }
        return 0;
    }
}
