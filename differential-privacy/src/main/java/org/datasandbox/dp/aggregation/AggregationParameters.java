package org.datasandbox.dp.aggregation;

import java.math.BigDecimal;
import java.util.Objects;
import org.datasandbox.dp.DpPreconditions;
import org.datasandbox.dp.noise.IntegerNoise;
import org.datasandbox.dp.noise.Mechanism;
import org.datasandbox.dp.noise.Noise;
import org.datasandbox.dp.noise.RandomSource;

/**
 * What every aggregation is configured with: the budget of its release, either (epsilon, and delta for the
 * Gaussian) or a zero-concentrated DP {@code rho} (for releases composed with zCDP; delta then only says at
 * which delta the loss also states an (epsilon, delta) guarantee), the contribution bounds of a privacy unit
 * (at most {@code maxPartitionsContributed} partitions, L0, and at most {@code maxContributionsPerPartition}
 * entries in each, Linf), the noise and the randomness, and the confidence of the intervals.
 *
 * @param epsilon the epsilon budget; null when the budget is {@code rho}
 * @param rho the zCDP budget; 0 when the budget is {@code epsilon}
 */
public record AggregationParameters(BigDecimal epsilon, double delta, double rho, long maxPartitionsContributed,
        long maxContributionsPerPartition, Noise noise, RandomSource random, double confidence) {
    public AggregationParameters {
        DpPreconditions.checkPositive(maxPartitionsContributed, "maxPartitionsContributed");
        DpPreconditions.checkPositive(maxContributionsPerPartition, "maxContributionsPerPartition");
        Objects.requireNonNull(noise, "noise");
        Objects.requireNonNull(random, "random");
        if (rho != 0) {
            DpPreconditions.checkPositive(rho, "rho");
            if (epsilon != null) {
                throw new IllegalArgumentException("epsilon and rho must not both be set: a budget is one or the other");
            }
            if (noise.mechanism() == Mechanism.DISCRETE_GAUSSIAN || delta != 0) {
                DpPreconditions.checkDelta(delta);
            }
        } else {
            DpPreconditions.checkEpsilon(epsilon);
            if (noise.mechanism() == Mechanism.DISCRETE_GAUSSIAN) {
                DpPreconditions.checkDelta(delta);
            } else if (delta != 0) {
                throw new IllegalArgumentException("delta must be 0 for the Laplace mechanism (pure epsilon-DP). Provided value: " + delta);
            }
        }
        DpPreconditions.checkAlpha(1 - confidence);
    }

    /** Half of each budget, for aggregations made of two releases (the mean's count and sum). */
    AggregationParameters halved() {
        if (rho != 0) {
            return new AggregationParameters(null, delta, rho / 2, maxPartitionsContributed, maxContributionsPerPartition,
                    noise, random, confidence);
        }
        return new AggregationParameters(epsilon.divide(BigDecimal.valueOf(2)), delta / 2, 0, maxPartitionsContributed,
                maxContributionsPerPartition, noise, random, confidence);
    }

    /** The noise of one release with these budgets, for a unit changing {@code l0} values by {@code linf} each. */
    IntegerNoise calibrate(long l0, long linf) {
        return rho != 0 ? noise.calibrateZcdp(l0, linf, rho, delta) : noise.calibrate(l0, linf, epsilon, delta);
    }

    double alpha() {
        return 1 - confidence;
    }

    /** A builder base shared by the aggregations' builders. */
    public abstract static class Builder<B extends Builder<B>> {
        private BigDecimal epsilon;
        private double delta;
        private double rho;
        private long maxPartitionsContributed = 1;
        private long maxContributionsPerPartition = 1;
        private RandomSource random;
        private Noise noise;
        private double confidence = 0.95;

        abstract B self();

        public B epsilon(BigDecimal value) {
            this.epsilon = DpPreconditions.checkEpsilon(value);
            return self();
        }

        /** A zCDP budget instead of epsilon: for releases composed with zCDP (see {@link Noise#calibrateZcdp}). */
        public B zcdp(double value) {
            this.rho = DpPreconditions.checkPositive(value, "rho");
            return self();
        }

        public B delta(double value) {
            this.delta = DpPreconditions.checkDelta(value);
            return self();
        }

        /** L0: how many partitions one privacy unit may contribute to (the caller enforces it). */
        public B maxPartitionsContributed(long value) {
            this.maxPartitionsContributed = DpPreconditions.checkPositive(value, "maxPartitionsContributed");
            return self();
        }

        /** Linf: how many entries of one unit count in this partition (the aggregation enforces it per unit). */
        public B maxContributionsPerPartition(long value) {
            this.maxContributionsPerPartition = DpPreconditions.checkPositive(value, "maxContributionsPerPartition");
            return self();
        }

        public B random(RandomSource value) {
            this.random = Objects.requireNonNull(value, "random");
            return self();
        }

        /** The noise; by default the discrete Laplace over {@link #random}. */
        public B noise(Noise value) {
            this.noise = Objects.requireNonNull(value, "noise");
            return self();
        }

        public B confidence(double value) {
            DpPreconditions.checkAlpha(1 - value);
            this.confidence = value;
            return self();
        }

        AggregationParameters parameters() {
            if (rho == 0) {
                DpPreconditions.checkSet(epsilon, "epsilon");
            }
            RandomSource source = random != null ? random : RandomSource.secure();
            return new AggregationParameters(epsilon, delta, rho, maxPartitionsContributed, maxContributionsPerPartition,
                    noise != null ? noise : Noise.laplace(source), source, confidence);
        }
    }

    /** The builder base of the aggregations over clamped values: the bounds every value is clamped to. */
    public abstract static class BoundedBuilder<B extends BoundedBuilder<B>> extends Builder<B> {
        private Double lower;
        private Double upper;

        public B bounds(double lowerBound, double upperBound) {
            DpPreconditions.checkBounds(lowerBound, upperBound);
            this.lower = lowerBound;
            this.upper = upperBound;
            return self();
        }

        double lower() {
            DpPreconditions.checkSet(lower, "bounds");
            return lower;
        }

        double upper() {
            DpPreconditions.checkSet(upper, "bounds");
            return upper;
        }
    }
}
