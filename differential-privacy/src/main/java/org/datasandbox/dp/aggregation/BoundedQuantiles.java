package org.datasandbox.dp.aggregation;

import java.util.ArrayList;
import java.util.List;
import org.datasandbox.dp.noise.IntegerNoise;

/**
 * DP quantiles (median, and MIN/MAX as the ranks 0 and 1 of bounded data) of the entries of one
 * partition, the tree-based way of Google's BoundedQuantiles: {@code [lower, upper]} is cut into
 * {@code 16^4} leaves under a tree of branching factor 16 and height 4; each entry increments one count
 * per level; node counts get noise when the search first reads them, and a quantile descends from the
 * root to the child whose noisy cumulative count crosses the rank, interpolating within the last leaf.
 *
 * <p>Each entry changes one count per level, so a unit changes at most {@code height * Linf} counts of
 * the tree per partition: the noise is calibrated to L0 {@code maxPartitionsContributed * height}.
 * All ranks asked in one {@link #result} come from the same noisy tree and spend once. Single use.
 *
 * <p>The interval is approximate: the quantiles at the rank plus and minus the rank error of the noise
 * summed along a search path ({@code halfWidth * sqrt(branching * height)} counts).
 */
public final class BoundedQuantiles {
    static final int BRANCHING = 16;
    static final int HEIGHT = 4;
    private static final int LEAVES = 1 << (4 * HEIGHT);

    private final AggregationParameters parameters;
    private final double lower;
    private final double upper;
    private final IntegerNoise noise;
    private final long[][] counts = new long[HEIGHT + 1][];
    private final long[][] noisy = new long[HEIGHT + 1][];
    private final boolean[][] drawn = new boolean[HEIGHT + 1][];
    private final SingleUse use = new SingleUse();

    private BoundedQuantiles(AggregationParameters parameters, double lower, double upper) {
        this.parameters = parameters;
        this.lower = lower;
        this.upper = upper;
        this.noise = parameters.calibrate(Math.multiplyExact(parameters.maxPartitionsContributed(), HEIGHT),
                parameters.maxContributionsPerPartition());
        for (int level = 1; level <= HEIGHT; level++) {
            int nodes = 1 << (4 * level);
            counts[level] = new long[nodes];
            noisy[level] = new long[nodes];
            drawn[level] = new boolean[nodes];
        }
    }

    /** What {@link #result} will spend, known before it runs: charge it to the budget store first. */
    public org.datasandbox.dp.accounting.PrivacyLoss loss() {
        return noise.loss();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** One entry, already bounded per unit by the caller; NaN is ignored. */
    public BoundedQuantiles addEntry(double value) {
        use.checkOpen();
        if (Double.isNaN(value)) {
            return this;
        }
        double clamped = Math.max(lower, Math.min(upper, value));
        int leaf = upper == lower ? 0 : (int) Math.min(LEAVES - 1, Math.floor((clamped - lower) / (upper - lower) * LEAVES));
        for (int level = 1; level <= HEIGHT; level++) {
            counts[level][leaf >>> (4 * (HEIGHT - level))]++;
        }
        return this;
    }

    /** All entries of one unit in this partition; at most Linf of them, chosen at random, count. */
    public BoundedQuantiles addUnit(double... entries) {
        use.checkOpen();
        for (double value : UnitSampling.atMost(entries, parameters.maxContributionsPerPartition(), parameters.random())) {
            addEntry(value);
        }
        return this;
    }

    /** The quantiles at these ranks (each in [0, 1]), all from one noisy tree; spends the budget once. */
    public List<DpResult> result(double... ranks) {
        for (double rank : ranks) {
            if (!(rank >= 0 && rank <= 1)) {
                throw new IllegalArgumentException("rank must be in [0, 1]. Provided value: " + rank);
            }
        }
        if (ranks.length == 0) {
            throw new IllegalArgumentException("ranks must not be empty");
        }
        use.release();
        double rankError = noise.halfWidth(parameters.alpha()) * Math.sqrt((double) BRANCHING * HEIGHT);
        double total = Math.max(1, childrenTotal(1, 0));
        List<DpResult> out = new ArrayList<>();
        for (double rank : ranks) {
            double value = quantile(rank);
            double low = quantile(Math.max(0, rank - rankError / total));
            double high = quantile(Math.min(1, rank + rankError / total));
            out.add(new DpResult(value, noise.mechanism(), noise.loss(),
                    new ConfidenceInterval(Math.min(low, value), Math.max(high, value), parameters.confidence(), false)));
        }
        return out;
    }

    private long noisyCount(int level, int node) {
        if (!drawn[level][node]) {
            noisy[level][node] = Math.max(0, noise.addNoise(counts[level][node]));
            drawn[level][node] = true;
        }
        return noisy[level][node];
    }

    private long childrenTotal(int level, int parent) {
        long total = 0;
        for (int child = 0; child < BRANCHING; child++) {
            total += noisyCount(level, parent * BRANCHING + child);
        }
        return total;
    }

    private double quantile(double rank) {
        int node = 0;
        double remaining = rank;
        for (int level = 1; level <= HEIGHT; level++) {
            long total = childrenTotal(level, node);
            if (total == 0) { // no signal below: the middle of what is left
                int span = 1 << (4 * (HEIGHT - level + 1));
                return leafValue((long) node * span + span / 2.0);
            }
            double target = remaining * total;
            int chosen = BRANCHING - 1;
            double before = 0;
            for (int child = 0; child < BRANCHING; child++) {
                long count = noisyCount(level, node * BRANCHING + child);
                if (before + count >= target && count > 0) {
                    chosen = child;
                    break;
                }
                before += count;
            }
            long count = noisyCount(level, node * BRANCHING + chosen);
            remaining = count == 0 ? 0.5 : Math.max(0, Math.min(1, (target - before) / count));
            node = node * BRANCHING + chosen;
        }
        return leafValue(node + remaining);
    }

    private double leafValue(double leafPosition) {
        return Math.max(lower, Math.min(upper, lower + leafPosition / LEAVES * (upper - lower)));
    }

    /** Configures quantiles. */
    public static final class Builder extends AggregationParameters.BoundedBuilder<Builder> {
        @Override
        Builder self() {
            return this;
        }

        public BoundedQuantiles build() {
            return new BoundedQuantiles(parameters(), lower(), upper());
        }
    }
}
