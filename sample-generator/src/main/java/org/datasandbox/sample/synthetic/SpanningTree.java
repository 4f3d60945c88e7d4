package org.datasandbox.sample.synthetic;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import org.datasandbox.dp.noise.DiscreteLaplace;
import org.datasandbox.dp.noise.RandomSource;
import org.datasandbox.dp.selection.PermuteAndFlip;

/**
 * The dependencies of a synthetic model: MST (McKenna, Miklau and Sheldon, "Winning the NIST Contest: A
 * scalable and general approach to differentially private synthetic data", JPC 2021). Given the measured
 * 1-way marginals, a maximum spanning tree of column pairs is chosen with private selection, one edge per
 * round (Kruskal's order), each pair scored by how far its true 2-way table is from what the 1-way
 * marginals alone predict (L1). The chosen pairs' 2-way tables are measured with noise and made
 * non-negative and consistent with the 1-way marginals (iterative proportional fitting); for a tree,
 * ancestral sampling from these tables draws rows whose every 1-way and chosen 2-way marginal is the
 * consistent estimate.
 *
 * <p>Adding or removing one row (one privacy unit) changes one cell of a true 2-way table by one, so a
 * score, an L1 distance to a table fixed by earlier releases, moves by at most {@value #SCORE_SENSITIVITY}:
 * the selection's sensitivity does not depend on any count of the data.
 */
final class SpanningTree implements Serializable {
    private static final long serialVersionUID = 1L;
    static final double SCORE_SENSITIVITY = 1;
    private static final int FITTING_ROUNDS = 500;
    /** Share of independence mixed into a noisy table: noise zeroes cells that are not impossible, and
     * without it a table whose zeros contradict the marginals could not be fitted to them. */
    private static final double PRIOR = 0.005;

    private final int[] order;          // columns in drawing order, root first
    private final int[] parent;         // -1 for the root
    private final double[][][] cumulative;   // [child][parent group]: prefix sums over child groups of the
                                             // consistent joint table

    private SpanningTree(int[] order, int[] parent, double[][][] joint) {
        this.order = order;
        this.parent = parent;
        this.cumulative = new double[joint.length][][];
        for (int c = 0; c < joint.length; c++) {
            if (joint[c] == null) {
                continue;
            }
            cumulative[c] = new double[joint[c].length][];
            for (int a = 0; a < joint[c].length; a++) {
                double[] sums = new double[joint[c][a].length];
                double sum = 0;
                for (int b = 0; b < sums.length; b++) {
                    sum += Math.max(0, joint[c][a][b]);
                    sums[b] = sum;
                }
                cumulative[c][a] = sums;
            }
        }
    }

    /** The pairs chosen, as {@code {a, b}} with a < b, in the order they were chosen. */
    static List<int[]> select(List<Marginal> marginals, long[][][][] pairs, BigDecimal perRound, RandomSource random) {
        int m = marginals.size();
        int[] component = new int[m];
        for (int i = 0; i < m; i++) {
            component[i] = i;
        }
        List<int[]> chosen = new ArrayList<>();
        for (int round = 1; round < m; round++) {
            List<int[]> candidates = new ArrayList<>();
            List<Double> scores = new ArrayList<>();
            for (int a = 0; a < m; a++) {
                for (int b = a + 1; b < m; b++) {
                    if (component[a] != component[b]) {
                        candidates.add(new int[] {a, b});
                        scores.add(score(pairs[a][b], marginals.get(a), marginals.get(b)));
                    }
                }
            }
            int pick = PermuteAndFlip.select(scores.stream().mapToDouble(Double::doubleValue).toArray(), SCORE_SENSITIVITY,
                    perRound, random);
            int[] edge = candidates.get(pick);
            chosen.add(edge);
            int from = component[edge[1]];
            for (int i = 0; i < m; i++) {
                if (component[i] == from) {
                    component[i] = component[edge[0]];
                }
            }
        }
        return chosen;
    }

    /**
     * L1 distance between a true 2-way table of groups and the table the noisy 1-way marginals predict
     * under independence: released figures only, besides the table itself.
     */
    static double score(long[][] counts, Marginal a, Marginal b) {
        double[] pa = normalized(a.groupWeights());
        double[] pb = normalized(b.groupWeights());
        double total = (a.total() + b.total()) / 2;
        double score = 0;
        for (int i = 0; i < counts.length; i++) {
            for (int j = 0; j < counts[i].length; j++) {
                score += Math.abs(counts[i][j] - total * pa[i] * pb[j]);
            }
        }
        return score;
    }

    /** Measures the chosen pairs with {@code perPair} each and fits the tree rooted at column 0. */
    static SpanningTree measure(List<Marginal> marginals, long[][][][] pairs, List<int[]> edges, BigDecimal perPair,
                                RandomSource random) {
        int m = marginals.size();
        List<List<Integer>> neighbours = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            neighbours.add(new ArrayList<>());
        }
        double[][][][] noisy = new double[m][m][][];
        DiscreteLaplace noise = DiscreteLaplace.forEpsilon(perPair, 1, random);
        for (int[] edge : edges) {
            long[][] counts = pairs[edge[0]][edge[1]];
            double[][] measured = new double[counts.length][counts[0].length];
            for (int i = 0; i < counts.length; i++) {
                for (int j = 0; j < counts[i].length; j++) {
                    measured[i][j] = Math.max(0, noise.addNoise(counts[i][j]));
                }
            }
            noisy[edge[0]][edge[1]] = measured;
            neighbours.get(edge[0]).add(edge[1]);
            neighbours.get(edge[1]).add(edge[0]);
        }
        int[] order = new int[m];
        int[] parent = new int[m];
        Arrays.fill(parent, -2);
        parent[0] = -1;
        Deque<Integer> queue = new ArrayDeque<>(List.of(0));
        int placed = 0;
        double[][][] joint = new double[m][][];
        while (!queue.isEmpty()) {
            int column = queue.poll();
            order[placed++] = column;
            for (int child : neighbours.get(column)) {
                if (parent[child] == -2) {
                    parent[child] = column;
                    double[][] table = column < child ? noisy[column][child] : transpose(noisy[child][column]);
                    joint[child] = consistent(table, marginals.get(column).groupWeights(), marginals.get(child).groupWeights());
                    queue.add(child);
                }
            }
        }
        if (placed != m) {
            throw new IllegalStateException("the chosen pairs do not span the columns");
        }
        return new SpanningTree(order, parent, joint);
    }

    /** Cells of every modelled column for one row, root first. */
    int[] draw(List<Marginal> marginals, SplittableRandom random) {
        int[] cells = new int[order.length];
        for (int column : order) {
            Marginal marginal = marginals.get(column);
            if (parent[column] < 0) {
                cells[column] = marginal.drawCell(-1, random);
                continue;
            }
            double[] row = cumulative[column][marginals.get(parent[column]).group(cells[parent[column]])];
            double total = row[row.length - 1];
            int group = total > 0 ? Weights.search(row, 0, row.length, random.nextDouble() * total) : -1;
            cells[column] = group < 0 ? marginal.drawCell(-1, random) : marginal.drawCell(group, random);
        }
        return cells;
    }

    /** The parent of each modelled column, -1 for the root. */
    int[] parents() {
        return parent.clone();
    }

    /**
     * The table scaled to rows summing to {@code rows} and columns to {@code columns} (both normalized):
     * iterative proportional fitting from the noisy table mixed with a little independence; a row the
     * noise left empty starts from independence.
     */
    static double[][] consistent(double[][] table, double[] rows, double[] columns) {
        double[] r = normalized(rows);
        double[] c = normalized(columns);
        double[][] t = new double[table.length][];
        for (int i = 0; i < table.length; i++) {
            t[i] = table[i].clone();
            if (Arrays.stream(t[i]).sum() <= 0) {
                for (int j = 0; j < c.length; j++) {
                    t[i][j] = r[i] * c[j];
                }
            }
        }
        double total = Arrays.stream(t).flatMapToDouble(Arrays::stream).sum();
        for (int i = 0; i < r.length; i++) {
            for (int j = 0; j < c.length; j++) {
                t[i][j] = (1 - PRIOR) * t[i][j] / total + PRIOR * r[i] * c[j];
            }
        }
        for (int round = 0; round < FITTING_ROUNDS; round++) {
            for (int i = 0; i < t.length; i++) {
                double sum = Arrays.stream(t[i]).sum();
                for (int j = 0; j < c.length; j++) {
                    t[i][j] = sum > 0 ? t[i][j] * r[i] / sum : 0;
                }
            }
            for (int j = 0; j < c.length; j++) {
                double sum = 0;
                for (double[] row : t) {
                    sum += row[j];
                }
                for (double[] row : t) {
                    row[j] = sum > 0 ? row[j] * c[j] / sum : 0;
                }
            }
        }
        return t;
    }

    private static double[] normalized(double[] weights) {
        double total = Arrays.stream(weights).map(w -> Math.max(0, w)).sum();
        double[] out = new double[weights.length];
        for (int i = 0; i < weights.length; i++) {
            out[i] = total > 0 ? Math.max(0, weights[i]) / total : 1.0 / weights.length;
        }
        return out;
    }

    private static double[][] transpose(double[][] t) {
        double[][] out = new double[t[0].length][t.length];
        for (int i = 0; i < t.length; i++) {
            for (int j = 0; j < t[i].length; j++) {
                out[j][i] = t[i][j];
            }
        }
        return out;
    }
}
