package org.datasandbox.core.dprelease;

import java.util.List;
import java.util.Objects;
import org.datasandbox.dp.aggregation.AggregationParameters;
import org.datasandbox.dp.aggregation.BoundedCount;
import org.datasandbox.dp.aggregation.BoundedMean;
import org.datasandbox.dp.aggregation.BoundedQuantiles;
import org.datasandbox.dp.aggregation.BoundedSum;
import org.datasandbox.dp.aggregation.DpResult;
import org.datasandbox.dp.noise.Noise;
import org.datasandbox.dp.noise.RandomSource;
import org.datasandbox.guard.catalog.ContributionBounds;
import org.datasandbox.guard.dp.DpAggregate;

/**
 * Noises one aggregate of every group of a release, from the bounded partials the guard's SQL computed, with the
 * {@code differential-privacy} module's single-use aggregations (one per group), each built from public
 * parameters only (the contribution bounds, the clamping bounds and the split's budget of a value):
 * <ul>
 *   <li>COUNT: {@link BoundedCount}, sensitivity L0 groups of Linf rows; COUNT of distinct units: L0 groups of 1;</li>
 *   <li>SUM: {@link BoundedSum} from the SQL's total of clamped values, put on its power-of-two grid once (one more
 *   grid step of sensitivity);</li>
 *   <li>MEAN: {@link BoundedMean}, Google's normalized sum over a noisy count, from the SQL's sum and count;</li>
 *   <li>QUANTILE: {@link BoundedQuantiles}, the tree-based DP quantile over the group's clamped values.</li>
 * </ul>
 * Laplace values are calibrated to the value's epsilon (L1 sensitivity {@code L0 * Linf * range}), Gaussian ones to
 * its zCDP rho (L2 {@code sqrt(L0) * Linf * range}). Each group's value gets its own draw; the values of different
 * groups are disjoint partitions, which the L0 factor already pays for. The noise should calibrate once per
 * release ({@link CalibratedOnce}): every group builds its aggregation anew.
 */
final class ValueNoiser {
    private final DpAggregate aggregate;
    private final ContributionBounds bounds;
    private final BudgetSplit split;
    private final Noise noise;
    private final RandomSource random;
    private final double confidence;

    ValueNoiser(DpAggregate aggregate, ContributionBounds bounds, BudgetSplit split, Noise noise, RandomSource random,
                double confidence) {
        this.aggregate = Objects.requireNonNull(aggregate, "aggregate");
        this.bounds = Objects.requireNonNull(bounds, "bounds");
        this.split = Objects.requireNonNull(split, "split");
        this.noise = Objects.requireNonNull(noise, "noise");
        this.random = Objects.requireNonNull(random, "random");
        this.confidence = confidence;
    }

    /** The noisy value of one group and what it carries, from that group's partials of this aggregate. */
    DpResult release(List<Object> partials) {
        return switch (aggregate.kind()) {
            case COUNT -> configure(BoundedCount.builder(), bounds.maxRowsPerUnitPerGroup()).build()
                    .addPartialCount(whole(partials.get(0))).result();
            case COUNT_DISTINCT_UNITS -> configure(BoundedCount.builder(), 1).build()
                    .addPartialCount(whole(partials.get(0))).result();
            case SUM -> configure(BoundedSum.builder(), bounds.maxRowsPerUnitPerGroup())
                    .bounds(aggregate.lower(), aggregate.upper()).fromPartials().build()
                    .addPartialSum(number(partials.get(0))).result();
            case MEAN -> configure(BoundedMean.builder(), bounds.maxRowsPerUnitPerGroup())
                    .bounds(aggregate.lower(), aggregate.upper()).fromPartials().build()
                    .addPartial(number(partials.get(0)), whole(partials.get(1))).result();
            case QUANTILE -> quantile(partials.get(0));
        };
    }

    /**
     * Builds this value's aggregation for an empty group, drawing nothing: throws when its noise cannot be
     * calibrated (quantiles are calibrated like a count and are not built: their tree is large).
     */
    void check() {
        switch (aggregate.kind()) {
            case COUNT -> configure(BoundedCount.builder(), bounds.maxRowsPerUnitPerGroup()).build();
            case COUNT_DISTINCT_UNITS -> configure(BoundedCount.builder(), 1).build();
            case SUM -> configure(BoundedSum.builder(), bounds.maxRowsPerUnitPerGroup())
                    .bounds(aggregate.lower(), aggregate.upper()).fromPartials().build();
            case MEAN -> configure(BoundedMean.builder(), bounds.maxRowsPerUnitPerGroup())
                    .bounds(aggregate.lower(), aggregate.upper()).fromPartials().build();
            case QUANTILE -> configure(BoundedCount.builder(), bounds.maxRowsPerUnitPerGroup()).build();
        }
    }

    private DpResult quantile(Object values) {
        BoundedQuantiles quantiles = configure(BoundedQuantiles.builder(), bounds.maxRowsPerUnitPerGroup())
                .bounds(aggregate.lower(), aggregate.upper())
                .build();
        if (values instanceof List<?> list) {
            for (Object value : list) {
                if (value != null) {
                    quantiles.addEntry(number(value)); // clamped again inside: the SQL's clamp is not trusted alone
                }
            }
        } else if (values != null) {
            throw new IllegalArgumentException("a quantile's partial must be an array of values");
        }
        return quantiles.result(aggregate.quantile()).get(0);
    }

    /** The split's budget of one value, the contribution bounds, the noise and the confidence. */
    private <B extends AggregationParameters.Builder<B>> B configure(B builder, long linf) {
        builder.maxPartitionsContributed(bounds.maxGroupsPerUnit())
                .maxContributionsPerPartition(linf)
                .noise(noise)
                .random(random)
                .confidence(confidence);
        if (split.valueRho() > 0) {
            builder.zcdp(split.valueRho()).delta(split.statedDelta());
        } else {
            builder.epsilon(split.valueEpsilon());
        }
        return builder;
    }

    private static double number(Object value) {
        if (value == null) {
            return 0; // SUM over no rows
        }
        if (value instanceof Number n) {
            double d = n.doubleValue();
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("a partial must be finite");
            }
            return d;
        }
        throw new IllegalArgumentException("a partial must be a number, not a " + value.getClass().getSimpleName());
    }

    private static long whole(Object value) {
        double d = number(value);
        if (d < 0 || d != Math.rint(d)) {
            throw new IllegalArgumentException("a count partial must be a whole number >= 0");
        }
        return (long) d;
    }
}
