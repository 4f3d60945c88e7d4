package org.datasandbox.core.dprelease;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import org.datasandbox.dp.aggregation.BoundedQuantiles;
import org.datasandbox.dp.aggregation.ConfidenceInterval;
import org.datasandbox.dp.aggregation.DpResult;
import org.datasandbox.dp.noise.IntegerNoise;
import org.datasandbox.dp.noise.Noise;
import org.datasandbox.dp.noise.RandomSource;
import org.datasandbox.guard.catalog.ContributionBounds;
import org.datasandbox.guard.dp.DpAggregate;

/**
 * Noises one aggregate of every group of a release, from the bounded partials the guard's SQL computed. The noise
 * is calibrated once, from public parameters only (the contribution bounds, the clamping bounds and epsilon):
 * <ul>
 *   <li>COUNT: L1 sensitivity {@code L0 * Linf}; COUNT of distinct units: {@code L0};</li>
 *   <li>SUM: the sum is put on the power-of-two grid of {@code max(|lower|, |upper|) / 2^20} (as Google's library
 *   snaps values), so that the exact integer noise applies; one unit moves it by at most
 *   {@code Linf * max|bound|}, plus one grid step for rounding the total: L1 {@code L0 * (that)};</li>
 *   <li>MEAN: Google's normalized sum over a noisy count, half the epsilon each; the normalized sum
 *   {@code sum - midpoint * count} moves by at most {@code Linf * (upper - lower) / 2} per unit (by
 *   {@code Linf * |midpoint|} when that is more, in case the count includes NULL values summed as 0);</li>
 *   <li>QUANTILE: the tree-based DP quantile of {@link BoundedQuantiles} over the group's clamped values.</li>
 * </ul>
 * Each group's value gets its own draw; the values of different groups are disjoint partitions, which the L0
 * factor already pays for.
 */
final class ValueNoiser {
    private static final double GRID_STEPS = 1 << 20;

    private final DpAggregate aggregate;
    private final ContributionBounds bounds;
    private final BigDecimal epsilon;
    private final Noise noise;
    private final RandomSource random;
    private final double confidence;
    private final IntegerNoise first;
    private final IntegerNoise second;
    private final double granularity;

    ValueNoiser(DpAggregate aggregate, ContributionBounds bounds, BigDecimal epsilon, Noise noise, RandomSource random,
                double confidence) {
        this.aggregate = Objects.requireNonNull(aggregate, "aggregate");
        this.bounds = bounds;
        this.epsilon = epsilon;
        this.noise = noise;
        this.random = random;
        this.confidence = confidence;
        long l0 = bounds.maxGroupsPerUnit();
        long linf = bounds.maxRowsPerUnitPerGroup();
        switch (aggregate.kind()) {
            case COUNT -> {
                first = noise.calibrate(l0, linf, epsilon, 0);
                second = null;
                granularity = 1;
            }
            case COUNT_DISTINCT_UNITS -> {
                first = noise.calibrate(l0, 1, epsilon, 0);
                second = null;
                granularity = 1;
            }
            case SUM -> {
                double maxAbs = Math.max(Math.abs(aggregate.lower()), Math.abs(aggregate.upper()));
                granularity = granularity(maxAbs);
                first = noise.calibrate(l0, gridSensitivity(linf, maxAbs, granularity), epsilon, 0);
                second = null;
            }
            case MEAN -> {
                BigDecimal half = epsilon.divide(BigDecimal.valueOf(2));
                // a row moves the normalized sum by x - midpoint, x in the bounds; and by -midpoint should the
                // SQL count a row whose value is NULL (summed as 0): the sensitivity covers both
                double midpoint = aggregate.lower() + (aggregate.upper() - aggregate.lower()) / 2;
                double reach = Math.max(Math.abs(Math.min(aggregate.lower(), 0) - midpoint),
                        Math.abs(Math.max(aggregate.upper(), 0) - midpoint));
                granularity = granularity(reach);
                first = noise.calibrate(l0, linf, half, 0);
                second = noise.calibrate(l0, gridSensitivity(linf, reach, granularity), half, 0);
            }
            case QUANTILE -> {
                first = null;
                second = null;
                granularity = 1;
            }
            default -> throw new IllegalArgumentException("unknown aggregate kind " + aggregate.kind());
        }
    }

    /** The noisy value of one group and what it carries, from that group's partials of this aggregate. */
    DpResult release(List<Object> partials) {
        double alpha = 1 - confidence;
        return switch (aggregate.kind()) {
            case COUNT, COUNT_DISTINCT_UNITS -> {
                long noisy = first.addNoise(whole(partials.get(0)));
                long half = first.halfWidth(alpha);
                yield new DpResult(noisy, first.mechanism(), first.loss(),
                        new ConfidenceInterval(noisy - half, noisy + half, confidence, true));
            }
            case SUM -> {
                long noisy = first.addNoise(Math.round(number(partials.get(0)) / granularity));
                long half = first.halfWidth(alpha);
                yield new DpResult(noisy * granularity, first.mechanism(), first.loss(),
                        new ConfidenceInterval((noisy - half) * granularity, (noisy + half) * granularity, confidence, true));
            }
            case MEAN -> mean(number(partials.get(0)), whole(partials.get(1)), alpha);
            case QUANTILE -> quantile(partials.get(0));
        };
    }

    private DpResult mean(double sum, long count, double alpha) {
        double lower = aggregate.lower();
        double upper = aggregate.upper();
        double midpoint = lower + (upper - lower) / 2;
        long noisyCount = first.addNoise(count);
        long noisySum = second.addNoise(Math.round((sum - midpoint * count) / granularity));
        double g = granularity;
        double mean = clamp(noisySum * g / Math.max(1, noisyCount) + midpoint);
        // each interval at half the miss probability: the mean lies within the extremes of s / c over both
        long countHalf = first.halfWidth(alpha / 2);
        long sumHalf = second.halfWidth(alpha / 2);
        double cLow = Math.max(1, noisyCount - countHalf);
        double cHigh = Math.max(1, noisyCount + countHalf);
        double sLow = (noisySum - sumHalf) * g;
        double sHigh = (noisySum + sumHalf) * g;
        double low = Math.min(Math.min(sLow / cLow, sLow / cHigh), Math.min(sHigh / cLow, sHigh / cHigh)) + midpoint;
        double high = Math.max(Math.max(sLow / cLow, sLow / cHigh), Math.max(sHigh / cLow, sHigh / cHigh)) + midpoint;
        return new DpResult(mean, first.mechanism(), first.loss().plus(second.loss()),
                new ConfidenceInterval(clamp(low), clamp(high), confidence, true));
    }

    private DpResult quantile(Object values) {
        BoundedQuantiles quantiles = BoundedQuantiles.builder()
                .epsilon(epsilon)
                .bounds(aggregate.lower(), aggregate.upper())
                .maxPartitionsContributed(bounds.maxGroupsPerUnit())
                .maxContributionsPerPartition(bounds.maxRowsPerUnitPerGroup())
                .noise(noise)
                .random(random)
                .confidence(confidence)
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

    private double clamp(double value) {
        return Math.max(aggregate.lower(), Math.min(aggregate.upper(), value));
    }

    /** The power of two at or above {@code maxAbs / 2^20}: a grid fine enough, on which noise is exact. */
    static double granularity(double maxAbs) {
        return maxAbs == 0 ? 1 : Math.pow(2, Math.ceil(Math.log(maxAbs / GRID_STEPS) / Math.log(2)));
    }

    /** Grid steps one unit can move a group's total by: Linf values of at most maxAbs, and one step of rounding. */
    static long gridSensitivity(long linf, double maxAbs, double granularity) {
        return Math.addExact(Math.multiplyExact(linf, Math.max(1, (long) Math.ceil(maxAbs / granularity))), 1);
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
