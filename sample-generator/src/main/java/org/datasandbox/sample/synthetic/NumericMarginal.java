package org.datasandbox.sample.synthetic;

import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Column;
import org.datasandbox.dp.budget.PrivacyBudget;
import org.datasandbox.dp.noise.DiscreteLaplace;
import org.datasandbox.dp.noise.RandomSource;
import org.datasandbox.masking.function.ValueType;
import org.datasandbox.sample.SampleColumn;

/**
 * A numeric or date column as a hierarchical histogram (Hay et al., "Boosting the accuracy of
 * differentially private histograms through consistency", VLDB 2010): a binary tree over the policy
 * bounds whose every level is counted with noise. The density is read top-down, so that the levels
 * where counts dwarf the noise decide the shape and the noisy deep levels only spread values within
 * narrow intervals. Coarse bins are quantiles of that density.
 */
final class NumericMarginal extends Marginal {
    private static final long serialVersionUID = 2L;
    private static final int MAX_DEPTH = 12;
    private static final double DEFAULT_FIRST_DAY = LocalDate.of(1900, 1, 1).toEpochDay();
    private static final double DEFAULT_LAST_DAY = LocalDate.of(2099, 12, 31).toEpochDay();

    private final Grid grid;
    private final double[] cumulative;   // prefix sums of the leaf density
    private final int[] binStart;        // first leaf of value bin b (b >= 1), binStart[bins] = leaves
    private final double scale;          // 10^decimals: doubles keep as many decimals as the leaf width makes meaningful

    private NumericMarginal(Grid grid, double[] cumulative, int[] binStart, double[] weights) {
        super(weights);
        this.grid = grid;
        this.cumulative = cumulative;
        this.binStart = binStart;
        this.scale = grid.scale();
    }

    /** The public grid of a column: bounds, depth and leaf width, fixed before any data is read. */
    record Grid(ValueType type, double lower, double upper, int depth, double width) implements java.io.Serializable {

        static Grid of(SampleColumn column) {
            double lower = Double.isNaN(column.lower()) ? DEFAULT_FIRST_DAY : column.lower();
            double upper = Double.isNaN(column.upper()) ? DEFAULT_LAST_DAY : column.upper();
            if (column.type() == ValueType.DOUBLE) {
                int depth = 10;
                return new Grid(column.type(), lower, upper, depth, (upper - lower) / (1 << depth));
            }
            // integers and days: leaves of a whole power of two, at least one unit wide
            lower = Math.floor(lower);
            upper = Math.floor(upper);
            int bits = 64 - Long.numberOfLeadingZeros((long) (upper - lower));
            int depth = Math.min(MAX_DEPTH, Math.max(1, bits));
            return new Grid(column.type(), lower, upper, depth, Math.pow(2, bits) / (1 << depth));
        }

        int leaves() {
            return 1 << depth;
        }

        /** The leaf of a value as a Spark expression; out-of-bound values are clamped to the bounds. */
        Column leaf(Column value) {
            Column number = type == ValueType.DATE ? datediff(value, lit(LocalDate.EPOCH)).cast("double") : value.cast("double");
            Column index = floor(number.minus(lit(lower)).divide(lit(width)));
            return least(greatest(index, lit(0L)), lit((long) leaves() - 1));
        }

        Object value(int leaf, double scale, SplittableRandom random) {
            double start = lower + leaf * width;
            double x = start + random.nextDouble() * width;
            return switch (type) {
                case DOUBLE -> Math.min(upper, Math.rint(x * scale) / scale);
                case INTEGER -> (int) Math.min(upper, Math.floor(x));
                case LONG -> (long) Math.min(upper, Math.floor(x));
                case DATE -> LocalDate.ofEpochDay((long) Math.min(upper, Math.floor(x)));
                default -> throw new IllegalStateException("not a numeric type: " + type);
            };
        }

        /** 10 to the power of as many decimals as the leaf width makes meaningful. */
        double scale() {
            int decimals = Math.max(0, (int) Math.ceil(-Math.log10(width)) + 1);
            return Math.pow(10, Math.min(decimals, 12));
        }
    }

    /**
     * Spends {@code epsilon} over the levels of the tree and the null count, one row per privacy unit.
     *
     * @param leafCounts true count per leaf index (non-null values)
     */
    static NumericMarginal fit(SampleColumn column, Map<Integer, Long> leafCounts, long nulls, int valueBins,
                               BigDecimal epsilon, RandomSource random) {
        Grid grid = Grid.of(column);
        BigDecimal perLevel = PrivacyBudget.share(epsilon, grid.depth() + 1L);
        DiscreteLaplace noise = DiscreteLaplace.forEpsilon(perLevel, 1, random);
        // level 0: with and without a value
        long[] leaves = new long[grid.leaves()];
        leafCounts.forEach((leaf, count) -> leaves[leaf] += count);
        long present = 0;
        for (long count : leaves) {
            present += count;
        }
        double noisyNulls = Math.max(0, noise.addNoise(nulls));
        double noisyPresent = Math.max(0, noise.addNoise(present));
        // levels 1..depth, read top-down into a density over the leaves
        double[] mass = {1.0};
        for (int level = 1; level <= grid.depth(); level++) {
            int width = grid.leaves() >> level;
            double[] next = new double[1 << level];
            for (int node = 0; node < mass.length; node++) {
                long left = 0;
                long right = 0;
                for (int leaf = 2 * node * width; leaf < (2 * node + 1) * width; leaf++) {
                    left += leaves[leaf];
                }
                for (int leaf = (2 * node + 1) * width; leaf < (2 * node + 2) * width; leaf++) {
                    right += leaves[leaf];
                }
                double l = Math.max(0, noise.addNoise(left));
                double r = Math.max(0, noise.addNoise(right));
                double share = l + r > 0 ? l / (l + r) : 0.5;
                next[2 * node] = mass[node] * share;
                next[2 * node + 1] = mass[node] * (1 - share);
            }
            mass = next;
        }
        double[] cumulative = new double[mass.length];
        double sum = 0;
        for (int i = 0; i < mass.length; i++) {
            sum += mass[i];
            cumulative[i] = sum;
        }
        int[] binStart = quantileBins(cumulative, valueBins);
        double[] weights = new double[binStart.length];
        weights[0] = noisyNulls;
        for (int b = 1; b < binStart.length; b++) {
            int end = b + 1 < binStart.length ? binStart[b + 1] : mass.length;
            double before = binStart[b] == 0 ? 0 : cumulative[binStart[b] - 1];
            weights[b] = noisyPresent * (cumulative[end - 1] - before);
        }
        return new NumericMarginal(grid, cumulative, binStart, weights);
    }

    /** First leaf of each of at most {@code bins} value bins of about equal mass; index 0 is the null bin. */
    private static int[] quantileBins(double[] cumulative, int bins) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        double total = cumulative[cumulative.length - 1];
        for (int q = 1; q < bins; q++) {
            int leaf = Weights.search(cumulative, 0, cumulative.length, total * q / bins) + 1;
            if (leaf < cumulative.length && leaf > starts.get(starts.size() - 1)) {
                starts.add(leaf);
            }
        }
        int[] result = new int[starts.size() + 1];
        for (int i = 0; i < starts.size(); i++) {
            result[i + 1] = starts.get(i);
        }
        return result;
    }

    @Override
    Column bin(Column value) {
        Column leaf = grid.leaf(value);
        Column bin = when(value.isNull(), lit(0));
        for (int b = 2; b < binStart.length; b++) {
            bin = bin.when(leaf.lt(lit((long) binStart[b])), lit(b - 1));
        }
        return bin.otherwise(lit(binStart.length - 1));
    }

    @Override
    Object draw(int bin, SplittableRandom random) {
        if (bin == 0) {
            return null;
        }
        int from = binStart[bin];
        int to = bin + 1 < binStart.length ? binStart[bin + 1] : cumulative.length;
        double before = from == 0 ? 0 : cumulative[from - 1];
        double span = cumulative[to - 1] - before;
        int leaf = span > 0 ? Weights.search(cumulative, from, to, before + random.nextDouble() * span)
                : from + random.nextInt(to - from);
        return grid.value(leaf, scale, random);
    }
}
