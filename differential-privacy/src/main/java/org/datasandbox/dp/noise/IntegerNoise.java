package org.datasandbox.dp.noise;

import org.datasandbox.dp.accounting.PrivacyLoss;

/**
 * A calibrated noise distribution on the integers, symmetric around zero: the draws, and the exact facts
 * a release reports with them (mechanism, privacy loss, interval width). Everything but {@link #sample()}
 * depends on public parameters only, never on the data.
 */
public interface IntegerNoise extends NoiseMechanism {

    Mechanism mechanism();

    /** What one release with this noise spends, for the sensitivity it was calibrated to. */
    PrivacyLoss loss();

    /** One draw. */
    long sample();

    @Override
    default long addNoise(long value) {
        return Math.addExact(value, sample());
    }

    /** The exact variance of the distribution. */
    double variance();

    /**
     * The smallest {@code k >= 0} with {@code P(|X| > k) <= alpha}: a noisy value {@code y} lies within
     * {@code [y - k, y + k]} of the true value with probability at least {@code 1 - alpha}.
     */
    long halfWidth(double alpha);

    /** {@code P(|X| > k)}, exactly (or bounded from above where the text of the implementation says so). */
    double twoSidedTail(long k);
}
