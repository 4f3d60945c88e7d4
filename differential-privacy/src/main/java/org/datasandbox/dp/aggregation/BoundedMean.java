package org.datasandbox.dp.aggregation;

import org.datasandbox.dp.noise.IntegerNoise;

/**
 * A DP mean of the entries of one partition, each clamped to {@code [lower, upper]}: Google's normalized
 * sum over a noisy count. Half the budget goes to the count, half to the sum of {@code x - midpoint},
 * whose sensitivity is only half the range; the mean is {@code normalizedSum / max(1, count) + midpoint},
 * clamped to the bounds. Contract as {@link BoundedSum}. Single use.
 *
 * <p>The interval combines the two releases' exact intervals at half the miss probability each: the
 * mean lies within the extremes of {@code s / c + midpoint} over both intervals, clamped to the bounds.
 */
public final class BoundedMean {
    private final AggregationParameters parameters;
    private final Snapping snapping;
    private final double midpoint;
    private final IntegerNoise countNoise;
    private final IntegerNoise sumNoise;
    private final SingleUse use = new SingleUse();
    private long count;
    private long normalizedUnits;

    private BoundedMean(AggregationParameters parameters, double lower, double upper) {
        this.parameters = parameters;
        this.midpoint = lower + (upper - lower) / 2;
        this.snapping = Snapping.of(lower - midpoint, upper - midpoint);
        AggregationParameters half = parameters.halved();
        long l0 = parameters.maxPartitionsContributed();
        long linf = parameters.maxContributionsPerPartition();
        this.countNoise = half.noise().calibrate(l0, linf, half.epsilon(), half.delta());
        this.sumNoise = half.noise().calibrate(l0, Math.multiplyExact(linf, snapping.maxUnits()), half.epsilon(), half.delta());
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
            normalizedUnits += snapping.units(value - midpoint);
        }
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
        return snapping.clamp(value - midpoint) + midpoint;
    }

    /** Configures a mean. */
    public static final class Builder extends AggregationParameters.BoundedBuilder<Builder> {
        @Override
        Builder self() {
            return this;
        }

        public BoundedMean build() {
            return new BoundedMean(parameters(), lower(), upper());
        }
    }
}
