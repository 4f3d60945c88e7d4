package org.datasandbox.dp.aggregation;

import org.datasandbox.dp.noise.IntegerNoise;

/**
 * A DP sum of the entries of one partition, each clamped to {@code [lower, upper]}.
 *
 * <p>Contract: either {@link #addUnit} once per privacy unit with all its entries (at most Linf of them
 * are kept, chosen at random), or {@link #addEntry} per entry when the caller has already bounded each
 * unit to Linf entries (as the guard's SQL does); the caller makes sure a unit appears in at most L0
 * partitions. Entries are snapped to a power-of-two grid ({@link Snapping}); the noise is calibrated to
 * {@code L0 * Linf * max(|lower|, |upper|)} (L1) or {@code sqrt(L0) * Linf * max(...)} (L2). Single use.
 *
 * <p>Built {@link Builder#fromPartials() fromPartials}, it takes instead the partition's total of clamped,
 * bounded entries, computed elsewhere ({@link #addPartialSum}, the guard's SQL): that total is put on the grid
 * once, and rounding it costs one more grid step of sensitivity per partition.
 */
public final class BoundedSum {
    private final AggregationParameters parameters;
    private final Snapping snapping;
    private final IntegerNoise noise;
    private final SingleUse use = new SingleUse();
    private final boolean partials;
    private long units;

    private BoundedSum(AggregationParameters parameters, double lower, double upper, boolean partials) {
        this.parameters = parameters;
        this.snapping = Snapping.of(lower, upper);
        this.partials = partials;
        long steps = Math.multiplyExact(parameters.maxContributionsPerPartition(), snapping.maxUnits());
        this.noise = parameters.calibrate(parameters.maxPartitionsContributed(), partials ? Math.addExact(steps, 1) : steps);
    }

    /** What {@link #result} will spend, known before it runs: charge it to the budget store first. */
    public org.datasandbox.dp.accounting.PrivacyLoss loss() {
        return noise.loss();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** One entry, already bounded per unit by the caller; NaN is ignored. */
    public BoundedSum addEntry(double value) {
        use.checkOpen();
        if (value == value) { // not NaN
            units += snapping.units(value);
        }
        return this;
    }

    /** Many entries, each already bounded per unit by the caller; NaN is ignored. One state check, a local sum. */
    public BoundedSum addEntries(double[] values) {
        use.checkOpen();
        long local = 0;
        for (double value : values) {
            if (value == value) {
                local += snapping.units(value);
            }
        }
        units += local;
        return this;
    }

    /**
     * The partition's total of entries clamped to the bounds and bounded to Linf per unit by the caller; only
     * for a sum built {@link Builder#fromPartials() fromPartials}, whose sensitivity pays for rounding it.
     */
    public BoundedSum addPartialSum(double total) {
        use.checkOpen();
        if (!partials) {
            throw new IllegalStateException("a sum takes partial totals only when built fromPartials()");
        }
        if (!Double.isFinite(total)) {
            throw new IllegalArgumentException("a partial sum must be finite");
        }
        units = Math.addExact(units, Math.round(total / snapping.granularity()));
        return this;
    }

    /** All entries of one unit in this partition; at most Linf of them, chosen at random, count. */
    public BoundedSum addUnit(double... entries) {
        use.checkOpen();
        for (double value : UnitSampling.atMost(entries, parameters.maxContributionsPerPartition(), parameters.random())) {
            addEntry(value);
        }
        return this;
    }

    public DpResult result() {
        use.release();
        double g = snapping.granularity();
        long noisy = noise.addNoise(units);
        long half = noise.halfWidth(parameters.alpha());
        return new DpResult(noisy * g, noise.mechanism(), noise.loss(),
                new ConfidenceInterval((noisy - half) * g, (noisy + half) * g, parameters.confidence(), true));
    }

    /** Configures a sum. */
    public static final class Builder extends AggregationParameters.BoundedBuilder<Builder> {
        private boolean partials;

        @Override
        Builder self() {
            return this;
        }

        /** The sum will be given as totals computed elsewhere ({@link #addPartialSum}). */
        public Builder fromPartials() {
            this.partials = true;
            return this;
        }

        public BoundedSum build() {
            return new BoundedSum(parameters(), lower(), upper(), partials);
        }
    }
}
