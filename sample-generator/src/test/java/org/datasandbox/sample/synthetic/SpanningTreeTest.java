package org.datasandbox.sample.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.datasandbox.masking.function.ValueType;
import org.junit.jupiter.api.Test;

class SpanningTreeTest {

    /** The selection's sensitivity: one person more or less moves no score by more than it, whatever the table. */
    @Test
    void score_onePersonAddedOrRemoved_movesByAtMostTheSensitivity() {
        SplittableRandom random = new SplittableRandom(1);
        for (int trial = 0; trial < 2_000; trial++) {
            int rows = 2 + random.nextInt(8);
            int columns = 2 + random.nextInt(8);
            long[][] counts = new long[rows][columns];
            int scale = random.nextBoolean() ? 3 : 3000; // tiny tables and large ones
            for (long[] row : counts) {
                for (int j = 0; j < columns; j++) {
                    row[j] = random.nextInt(scale);
                }
            }
            Marginal a = marginal(rows, random);
            Marginal b = marginal(columns, random);
            if (a.groups() != rows || b.groups() != columns) {
                continue;
            }
            double before = SpanningTree.score(counts, a, b);
            int i = random.nextInt(rows);
            int j = random.nextInt(columns);
            long[][] neighbour = new long[rows][];
            for (int r = 0; r < rows; r++) {
                neighbour[r] = counts[r].clone();
            }
            neighbour[i][j] += counts[i][j] > 0 && random.nextBoolean() ? -1 : 1;
            assertThat(Math.abs(SpanningTree.score(neighbour, a, b) - before)).isLessThanOrEqualTo(SpanningTree.SCORE_SENSITIVITY);
        }
    }

    @Test
    void consistent_noisyTable_matchesBothMarginals() {
        // row 0 cannot reach its share without the cell noise zeroed: the fit must still match both
        double[][] noisy = {{40, 0, 3}, {0, 0, 0}, {5, 30, 1}};
        double[][] fitted = SpanningTree.consistent(noisy, new double[] {50, 20, 30}, new double[] {10, 60, 30});
        double[] rows = new double[3];
        double[] columns = new double[3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                rows[i] += fitted[i][j];
                columns[j] += fitted[i][j];
                assertThat(fitted[i][j]).isGreaterThanOrEqualTo(0);
            }
        }
        assertThat(rows[0]).isCloseTo(0.5, within(1e-3));
        assertThat(rows[1]).isCloseTo(0.2, within(1e-3));
        assertThat(columns[1]).isCloseTo(0.6, within(1e-3));
        assertThat(columns[2]).isCloseTo(0.3, within(1e-3));
    }

    /** A marginal of {@code groups} cells, each large enough to be its own group. */
    private static Marginal marginal(int groups, SplittableRandom random) {
        double[] weights = new double[groups];
        for (int c = 0; c < groups; c++) {
            weights[c] = 100 + random.nextInt(10_000);
        }
        Cells cells = new CategoryCells(ValueType.STRING, java.util.stream.IntStream.range(0, groups - 2).mapToObj(Integer::toString).toList());
        return new Marginal(cells, weights, 1, 64, "");
    }
}
