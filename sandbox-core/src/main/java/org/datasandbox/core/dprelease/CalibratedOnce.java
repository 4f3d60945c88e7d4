package org.datasandbox.core.dprelease;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.datasandbox.dp.accounting.PrivacyLoss;
import org.datasandbox.dp.noise.IntegerNoise;
import org.datasandbox.dp.noise.Mechanism;
import org.datasandbox.dp.noise.Noise;

/**
 * A noise that calibrates each sensitivity once per release and remembers its interval widths: every group of a
 * release builds its own single-use aggregation with the same public parameters, and the exact tails of a wide
 * discrete Gaussian are sums of millions of terms. Draws are never shared: each {@code sample()} is fresh.
 */
final class CalibratedOnce implements Noise {
    private final Noise noise;
    private final Map<List<Object>, IntegerNoise> calibrated = new ConcurrentHashMap<>();

    CalibratedOnce(Noise noise) {
        this.noise = Objects.requireNonNull(noise, "noise");
    }

    /**
     * {@code noises} with each mechanism's noise calibrating once: what one release uses, from the check of its
     * calibration before the charge to the last group's value.
     */
    static Noises per(Noises noises) {
        Objects.requireNonNull(noises, "noises");
        Map<org.datasandbox.dp.noise.Mechanism, Noise> once = new ConcurrentHashMap<>();
        return mechanism -> once.computeIfAbsent(mechanism, m -> new CalibratedOnce(noises.of(m)));
    }

    @Override
    public Mechanism mechanism() {
        return noise.mechanism();
    }

    @Override
    public IntegerNoise calibrate(long l0, long linf, BigDecimal epsilon, double delta) {
        return calibrated.computeIfAbsent(List.of("epsilon", l0, linf, epsilon, delta),
                k -> new Remembered(noise.calibrate(l0, linf, epsilon, delta)));
    }

    @Override
    public IntegerNoise calibrateZcdp(long l0, long linf, double rho, double delta) {
        return calibrated.computeIfAbsent(List.of("rho", l0, linf, rho, delta),
                k -> new Remembered(noise.calibrateZcdp(l0, linf, rho, delta)));
    }

    /** A calibrated noise whose interval half-widths are computed once per miss probability. */
    private static final class Remembered implements IntegerNoise {
        private final IntegerNoise noise;
        private final Map<Double, Long> halfWidths = new ConcurrentHashMap<>();

        Remembered(IntegerNoise noise) {
            this.noise = noise;
        }

        @Override
        public Mechanism mechanism() {
            return noise.mechanism();
        }

        @Override
        public PrivacyLoss loss() {
            return noise.loss();
        }

        @Override
        public long sample() {
            return noise.sample();
        }

        @Override
        public double variance() {
            return noise.variance();
        }

        @Override
        public long halfWidth(double alpha) {
            return halfWidths.computeIfAbsent(alpha, noise::halfWidth);
        }

        @Override
        public double twoSidedTail(long k) {
            return noise.twoSidedTail(k);
        }
    }
}
