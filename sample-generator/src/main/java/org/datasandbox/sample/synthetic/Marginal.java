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
    private final int[][] cellsOf;          // [group]: its cells in order; [groups]: every cell
    private final double[][] cumulative;    // [group]: prefix sums of those cells' weights

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
        this.cellsOf = new int[groups + 1][];
        this.cumulative = new double[groups + 1][];
        for (int g = 0; g <= groups; g++) {
            int index = g;
            cellsOf[g] = IntStream.range(0, weights.length).filter(c -> index == groups || group[c] == index).toArray();
            cumulative[g] = new double[cellsOf[g].length];
            double sum = 0;
            for (int k = 0; k < cellsOf[g].length; k++) {
                sum += Math.max(0, weights[cellsOf[g][k]]);
                cumulative[g][k] = sum;
            }
        }
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

    /**
     * A cell drawn in proportion to the weights, within a group when {@code inGroup >= 0} (by binary
     * search over prefix sums: this runs for every column of every synthetic row). A group without
     * weight gives its first cell; all cells without weight give cell 0, "no value".
     */
    int drawCell(int inGroup, SplittableRandom random) {
        int g = inGroup < 0 ? groups : inGroup;
        double[] sums = cumulative[g];
        int[] cells = cellsOf[g];
        double total = sums.length == 0 ? 0 : sums[sums.length - 1];
        if (!(total > 0)) {
            return inGroup < 0 || cells.length == 0 ? 0 : cells[0];
        }
        return cells[Weights.search(sums, 0, sums.length, random.nextDouble() * total)];
    }
}
