package org.datasandbox.dp.aggregation;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.datasandbox.dp.DpPreconditions;
import org.datasandbox.dp.noise.DiscreteLaplace;
import org.datasandbox.dp.noise.NoiseMechanism;
import org.datasandbox.dp.noise.RandomSource;

/**
 * A differentially private histogram of counts per key.
 *
 * <p>Contract: each privacy unit contributes to at most {@code maxContributions} keys, once each; the
 * caller bounds contributions before adding counts. Keys of a {@link Domain#PUBLIC public} domain (bins
 * fixed by policy bounds, months of a range) are all released with noise. Keys of a {@link Domain#DATA
 * data-dependent} domain (the districts or diagnoses that occur) are released only when their noisy
 * count clears the partition-selection threshold for delta, since the mere presence of a rare key would
 * otherwise reveal someone.
 *
 * <p>Single use: {@link #result()} can be called once.
 */
public final class DpHistogram<K> {
    /** Where the keys come from. */
    public enum Domain {
        PUBLIC,
        DATA
    }

    private enum State {
        OPEN,
        RELEASED
    }

    private final NoiseMechanism noise;
    private final Domain domain;
    private final long threshold;
    private final Map<K, Long> counts = new LinkedHashMap<>();
    private final java.util.Set<K> publicKeys = new java.util.HashSet<>();
    private State state = State.OPEN;

    private DpHistogram(NoiseMechanism noise, Domain domain, long threshold) {
        this.noise = noise;
        this.domain = domain;
        this.threshold = threshold;
    }

    public static <K> Builder<K> builder() {
        return new Builder<>();
    }

    /** Adds true counts; for a public domain, add every key of the domain (with 0 when absent). */
    public DpHistogram<K> add(K key, long count) {
        if (state != State.OPEN) {
            throw new IllegalStateException("the histogram was already released; build a new one");
        }
        counts.merge(Objects.requireNonNull(key, "key"), count, Long::sum);
        return this;
    }

    /**
     * Adds the true count of a key that exists whatever the data, such as "no value": it is released
     * like a key of a public domain even when the domain is {@link Domain#DATA}.
     */
    public DpHistogram<K> addPublic(K key, long count) {
        add(key, count);
        publicKeys.add(key);
        return this;
    }

    /** Noisy counts, clamped at zero; spends the epsilon. */
    public Map<K, Long> result() {
        if (state != State.OPEN) {
            throw new IllegalStateException("result() was already called: a DP aggregation spends its budget once");
        }
        state = State.RELEASED;
        Map<K, Long> out = new LinkedHashMap<>();
        counts.forEach((key, count) -> {
            long noisy = noise.addNoise(count);
            if (domain == Domain.PUBLIC || publicKeys.contains(key) || noisy >= threshold) {
                out.put(key, Math.max(0, noisy));
            }
        });
        return out;
    }

    /** Configures a histogram. */
    public static final class Builder<K> {
        private BigDecimal epsilon;
        private double delta = 1e-6;
        private long maxContributions = 1;
        private RandomSource random = RandomSource.secure();
        private NoiseMechanism noise;
        private Domain domain = Domain.DATA;

        public Builder<K> epsilon(BigDecimal value) {
            this.epsilon = DpPreconditions.checkEpsilon(value);
            return this;
        }

        public Builder<K> delta(double value) {
            if (!(value > 0 && value < 1)) {
                throw new IllegalArgumentException("delta must be in (0, 1). Provided value: " + value);
            }
            this.delta = value;
            return this;
        }

        public Builder<K> maxContributions(long value) {
            this.maxContributions = DpPreconditions.checkSensitivity(value);
            return this;
        }

        public Builder<K> random(RandomSource value) {
            this.random = Objects.requireNonNull(value);
            return this;
        }

        /** For unit tests of the surrounding logic: replaces the noise (zero noise, say). */
        public Builder<K> noise(NoiseMechanism value) {
            this.noise = Objects.requireNonNull(value);
            return this;
        }

        public Builder<K> domain(Domain value) {
            this.domain = Objects.requireNonNull(value);
            return this;
        }

        public DpHistogram<K> build() {
            if (epsilon == null) {
                throw new IllegalArgumentException("epsilon must be set");
            }
            DiscreteLaplace laplace = DiscreteLaplace.forEpsilon(epsilon, maxContributions, random);
            return new DpHistogram<>(noise != null ? noise : laplace, domain,
                    PartitionSelection.threshold(laplace.scale(), maxContributions, delta));
        }
    }
}
