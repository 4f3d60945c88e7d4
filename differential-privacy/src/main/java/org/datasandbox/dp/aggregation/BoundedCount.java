package org.datasandbox.dp.aggregation;

import org.datasandbox.dp.noise.IntegerNoise;

/**
 * A DP count of the entries of one partition.
 *
 * <p>Contract: {@link #addUnit} is called once per privacy unit with its number of entries in this
 * partition, which is clamped to {@code maxContributionsPerPartition}; the caller makes sure a unit
 * appears in at most {@code maxPartitionsContributed} partitions. Noise is calibrated to L1
 * {@code L0 * Linf} (Laplace) or L2 {@code sqrt(L0) * Linf} (Gaussian). Single use.
 */
public final class BoundedCount {
    private final AggregationParameters parameters;
    private final IntegerNoise noise;
    private final SingleUse use = new SingleUse();
    private long count;

    private BoundedCount(AggregationParameters parameters) {
        this.parameters = parameters;
        this.noise = parameters.calibrate(parameters.maxPartitionsContributed(), parameters.maxContributionsPerPartition());
    }

    /** What {@link #result} will spend, known before it runs: charge it to the budget store first. */
    public org.datasandbox.dp.accounting.PrivacyLoss loss() {
        return noise.loss();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** One unit's entries in this partition; more than Linf count as Linf. */
    public BoundedCount addUnit(long entries) {
        use.checkOpen();
        if (entries < 0) {
            throw new IllegalArgumentException("entries must be >= 0. Provided value: " + entries);
        }
        count += Math.min(entries, parameters.maxContributionsPerPartition());
        return this;
    }

    /**
     * The whole count of this partition, computed elsewhere from entries the caller has already bounded to Linf
     * per unit (the guard's SQL does): what {@link #addUnit} would have summed.
     */
    public BoundedCount addPartialCount(long entries) {
        use.checkOpen();
        if (entries < 0) {
            throw new IllegalArgumentException("entries must be >= 0. Provided value: " + entries);
        }
        count = Math.addExact(count, entries);
        return this;
    }

    /** The noisy count (not clamped, so that it stays unbiased) and its interval; spends the budget. */
    public DpResult result() {
        use.release();
        long noisy = noise.addNoise(count);
        long half = noise.halfWidth(parameters.alpha());
        return new DpResult(noisy, noise.mechanism(), noise.loss(),
                new ConfidenceInterval(noisy - half, noisy + half, parameters.confidence(), true));
    }

    /** Configures a count. */
    public static final class Builder extends AggregationParameters.Builder<Builder> {
        @Override
        Builder self() {
            return this;
        }

        public BoundedCount build() {
            return new BoundedCount(parameters());
        }
    }
}
