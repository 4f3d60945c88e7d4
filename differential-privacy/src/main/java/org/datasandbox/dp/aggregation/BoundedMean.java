package org.datasandbox.dp.aggregation;

import org.datasandbox.dp.noise.IntegerNoise;

/**
 * A DP mean of the entries of one partition, each clamped to {@code [lower, upper]}: Google's normalized
 * sum over a noisy count. Half the budget goes to the count, half to the sum of {@code x - midpoint},
 * whose sensitivity is only half the range; the mean is {@code normalizedSum / max(1, count) + midpoint},
 * clamped to the bounds. Contract as {@link BoundedSum}. Single use.
 *
 * <p>Built {@link Builder#fromPartials() fromPartials}, it takes the partition's sum and count computed
 * elsewhere ({@link #addPartial}, the guard's SQL): the normalized sum {@code sum - midpoint * count} is put on
 * the grid once (one more grid step of sensitivity), and a unit may move it by {@code x - midpoint} for x in
 * the bounds, or by {@code -midpoint} should the count include a NULL value summed as 0: the grid covers both.
 *
 * <p>The interval combines the two releases' exact intervals at half the miss probability each: the
 * mean lies within the extremes of {@code s / c + midpoint} over both intervals, clamped to the bounds.
 */
public final class BoundedMean {
    private final AggregationParameters parameters;
    private final Snapping snapping;
    private final double lower;
    private final double upper;
    private final double midpoint;
    private final boolean partials;
    private final IntegerNoise countNoise;
    private final IntegerNoise sumNoise;
    private final SingleUse use = new SingleUse();
    private long count;
    private long normalizedUnits;

    private BoundedMean(AggregationParameters parameters, double lower, double upper, boolean partials) {
        this.parameters = parameters;
        this.lower = lower;
        this.upper = upper;
        this.partials = partials;
        this.midpoint = lower + (upper - lower) / 2;
        this.snapping = partials ? Snapping.of(Math.min(lower, 0) - midpoint, Math.max(upper, 0) - midpoint)
                : Snapping.of(lower - midpoint, upper - midpoint);
        AggregationParameters half = parameters.halved();
        long l0 = parameters.maxPartitionsContributed();
        long linf = parameters.maxContributionsPerPartition();
        long steps = Math.multiplyExact(linf, snapping.maxUnits());
        this.countNoise = half.calibrate(l0, linf);
        this.sumNoise = half.calibrate(l0, partials ? Math.addExact(steps, 1) : steps);
    }

    /** What {@link #result} will spend, known before it runs: charge it to the budget store first. */
    public org.datasandbox.dp.accounting.PrivacyLoss loss() {
        return countNoise.loss().plus(sumNoise.loss());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** One entry, already bounded per unit by the caller; NaN is ignored. */
    public BoundedMean addEntry(double value) {
        use.checkOpen();
        if (!Double.isNaN(value)) {
            count++;
            normalizedUnits += snapping.units(clamp(value) - midpoint);
        }
        return this;
    }

    /**
     * The partition's sum of clamped entries and their count, bounded to Linf per unit by the caller; only for a
     * mean built {@link Builder#fromPartials() fromPartials}, whose sensitivity pays for rounding the sum.
     */
    public BoundedMean addPartial(double sum, long entries) {
        use.checkOpen();
        if (!partials) {
            throw new IllegalStateException("a mean takes partial sums only when built fromPartials()");
        }
        if (!Double.isFinite(sum) || entries < 0) {
            throw new IllegalArgumentException("a partial must be a finite sum and a count >= 0");
        }
        count = Math.addExact(count, entries);
        normalizedUnits = Math.addExact(normalizedUnits, Math.round((sum - midpoint * entries) / snapping.granularity()));
        return this;
    }

    /** All entries of one unit in this partition; at most Linf of them, chosen at random, count. */
    public BoundedMean addUnit(double... entries) {
        use.checkOpen();
        for (double value : UnitSampling.atMost(entries, parameters.maxContributionsPerPartition(), parameters.random())) {
            addEntry(value);
        }
        return this;
    }

    public DpResult result() {
        use.release();
        double g = snapping.granularity();
        long noisyCount = countNoise.addNoise(count);
        long noisySum = sumNoise.addNoise(normalizedUnits);
        double mean = clamp(noisySum * g / Math.max(1, noisyCount) + midpoint);
        double alpha = parameters.alpha() / 2;
        long countHalf = countNoise.halfWidth(alpha);
        long sumHalf = sumNoise.halfWidth(alpha);
        double cLow = Math.max(1, noisyCount - countHalf);
        double cHigh = Math.max(1, noisyCount + countHalf);
        double sLow = (noisySum - sumHalf) * g;
        double sHigh = (noisySum + sumHalf) * g;
        double low = Math.min(Math.min(sLow / cLow, sLow / cHigh), Math.min(sHigh / cLow, sHigh / cHigh)) + midpoint;
        double high = Math.max(Math.max(sLow / cLow, sLow / cHigh), Math.max(sHigh / cLow, sHigh / cHigh)) + midpoint;
        return new DpResult(mean, countNoise.mechanism(), countNoise.loss().plus(sumNoise.loss()),
                new ConfidenceInterval(clamp(low), clamp(high), parameters.confidence(), true));
    }

    private double clamp(double value) {
        return Math.max(lower, Math.min(upper, value));
    }

    /** Configures a mean. */
    public static final class Builder extends AggregationParameters.BoundedBuilder<Builder> {
        private boolean partials;

        @Override
        Builder self() {
            return this;
        }

        /** The mean will be given as sums and counts computed elsewhere ({@link #addPartial}). */
        public Builder fromPartials() {
            this.partials = true;
            return this;
        }

        public BoundedMean build() {
            return new BoundedMean(parameters(), lower(), upper(), partials);
        }
    }
}
