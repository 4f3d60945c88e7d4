package org.datasandbox.sample.synthetic;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.datasandbox.dp.noise.DiscreteLaplace;
import org.datasandbox.dp.noise.RandomSource;
import org.datasandbox.dp.selection.PermuteAndFlip;

/**
 * Pairwise dependencies between the modelled columns: PrivBayes with one parent per column (Zhang et al.,
 * "PrivBayes: Private Data Release via Bayesian Networks", SIGMOD 2014). The tree is grown greedily,
 * each step choosing a (column, parent) pair by mutual information with private selection; then every
 * column's bins are counted with noise against its parent's bins. Rows are drawn root first, each
 * column from its noisy conditional distribution.
 *
 * <p>Pairs are counted on groups of neighbouring bins ("no value" alone, then at most {@value #GROUPS} - 1
 * runs), as PrivBayes does: a table of 32 by 32 bins would hold a few rows per cell, drowned by noise,
 * while 8 by 8 keeps the dependency. Within its group a bin is drawn from the column's own marginal.
 */
final class DependencyModel implements Serializable {
    private static final long serialVersionUID = 2L;
    static final int GROUPS = 8;

    private final int[] order;
    private final int[] parent;
    private final int[][] firstBin;           // [column][group]: the group's first bin; [column][groups]: bins
    private final double[][] marginal;        // [column][bin], the marginals' noisy weights
    private final double[][][] conditional;   // [column][parent group][group], noisy counts

    private DependencyModel(int[] order, int[] parent, int[][] firstBin, double[][] marginal, double[][][] conditional) {
        this.order = order;
        this.parent = parent;
        this.firstBin = firstBin;
        this.marginal = marginal;
        this.conditional = conditional;
    }

    /**
     * @param pairs true counts of bin pairs: {@code pairs[i][j][a][b]} for {@code i < j}
     * @param rows the noisy number of rows, for the sensitivity of mutual information
     * @param selection epsilon of each structure step; {@code conditionals}: of each conditional table
     */
    static DependencyModel fit(List<Marginal> marginals, long[][][][] pairs, double rows, BigDecimal selection,
                               BigDecimal conditionals, RandomSource random) {
        int m = marginals.size();
        int[][] firstBin = new int[m][];
        double[][] marginal = new double[m][];
        for (int c = 0; c < m; c++) {
            firstBin[c] = groups(marginals.get(c).bins());
            marginal[c] = marginals.get(c).weights();
        }
        int[] order = new int[m];
        int[] parent = new int[m];
        java.util.Arrays.fill(parent, -1);
        boolean[] placed = new boolean[m];
        order[0] = (int) random.nextLong(m); // the root is chosen without looking at the data
        placed[order[0]] = true;
        double sensitivity = mutualInformationSensitivity(Math.max(rows, 2));
        for (int step = 1; step < m; step++) {
            List<int[]> candidates = new ArrayList<>();
            List<Double> scores = new ArrayList<>();
            for (int child = 0; child < m; child++) {
                if (placed[child]) {
                    continue;
                }
                for (int p = 0; p < m; p++) {
                    if (placed[p]) {
                        candidates.add(new int[] {child, p});
                        scores.add(mutualInformation(grouped(table(pairs, p, child), firstBin[p], firstBin[child])));
                    }
                }
            }
            int chosen = PermuteAndFlip.select(scores.stream().mapToDouble(Double::doubleValue).toArray(), sensitivity,
                    selection, random);
            int[] pick = candidates.get(chosen);
            order[step] = pick[0];
            parent[pick[0]] = pick[1];
            placed[pick[0]] = true;
        }
        double[][][] conditional = new double[m][][];
        if (m > 1) {
            DiscreteLaplace noise = DiscreteLaplace.forEpsilon(conditionals, 1, random);
            for (int c = 0; c < m; c++) {
                if (parent[c] < 0) {
                    continue;
                }
                long[][] counts = grouped(table(pairs, parent[c], c), firstBin[parent[c]], firstBin[c]);
                double[][] noisy = new double[counts.length][counts[0].length];
                for (int a = 0; a < counts.length; a++) {
                    for (int b = 0; b < counts[a].length; b++) {
                        noisy[a][b] = Math.max(0, noise.addNoise(counts[a][b]));
                    }
                }
                conditional[c] = noisy;
            }
        }
        return new DependencyModel(order, parent, firstBin, marginal, conditional);
    }

    /** Bins of every modelled column for one row, drawn root first. */
    int[] draw(SplittableRandom random) {
        int[] bins = new int[order.length];
        for (int column : order) {
            double[] distribution = parent[column] < 0 ? null
                    : conditional[column][groupOf(firstBin[parent[column]], bins[parent[column]])];
            if (distribution == null || sum(distribution) <= 0) {
                bins[column] = Weights.draw(marginal[column], random);
            } else {
                int group = Weights.draw(distribution, random);
                bins[column] = Weights.draw(marginal[column], firstBin[column][group], firstBin[column][group + 1], random);
            }
        }
        return bins;
    }

    /** The first bin of each group of a column of {@code bins} bins, then {@code bins}: bin 0 ("no value") alone, then even runs. */
    static int[] groups(int bins) {
        int runs = Math.min(GROUPS - 1, bins - 1);
        int[] first = new int[runs + 2];
        first[0] = 0;
        for (int g = 0; g < runs; g++) {
            first[g + 1] = 1 + (int) ((long) g * (bins - 1) / runs);
        }
        first[runs + 1] = bins;
        return first;
    }

    private static int groupOf(int[] firstBin, int bin) {
        int group = 0;
        while (firstBin[group + 1] <= bin) {
            group++;
        }
        return group;
    }

    /** Counts summed over groups of bins on both sides. */
    private static long[][] grouped(long[][] counts, int[] rowsFirstBin, int[] columnsFirstBin) {
        long[][] out = new long[rowsFirstBin.length - 1][columnsFirstBin.length - 1];
        for (int a = 0; a < counts.length; a++) {
            int ga = groupOf(rowsFirstBin, a);
            for (int b = 0; b < counts[a].length; b++) {
                out[ga][groupOf(columnsFirstBin, b)] += counts[a][b];
            }
        }
        return out;
    }

    /** The parent of each modelled column, -1 for the root: which dependencies the sample keeps. */
    int[] parents() {
        return parent.clone();
    }

    /** Counts with rows of bins of {@code a} and columns of bins of {@code b}. */
    private static long[][] table(long[][][][] pairs, int a, int b) {
        if (a < b) {
            return pairs[a][b];
        }
        long[][] t = pairs[b][a];
        long[][] transposed = new long[t[0].length][t.length];
        for (int i = 0; i < t.length; i++) {
            for (int j = 0; j < t[i].length; j++) {
                transposed[j][i] = t[i][j];
            }
        }
        return transposed;
    }

    static double mutualInformation(long[][] counts) {
        double total = 0;
        double[] rows = new double[counts.length];
        double[] cols = new double[counts[0].length];
        for (int i = 0; i < counts.length; i++) {
            for (int j = 0; j < counts[i].length; j++) {
                rows[i] += counts[i][j];
                cols[j] += counts[i][j];
                total += counts[i][j];
            }
        }
        if (total <= 0) {
            return 0;
        }
        double mi = 0;
        for (int i = 0; i < counts.length; i++) {
            for (int j = 0; j < counts[i].length; j++) {
                if (counts[i][j] > 0) {
                    mi += counts[i][j] / total * Math.log(counts[i][j] * total / (rows[i] * cols[j]));
                }
            }
        }
        return mi;
    }

    /** PrivBayes, Lemma 1 (natural logarithms): how much one row moves the mutual information of n rows. */
    static double mutualInformationSensitivity(double n) {
        return 2 / n * Math.log((n + 1) / 2) + (n - 1) / n * Math.log((n + 1) / (n - 1));
    }

    private static double sum(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s;
    }
}
