package org.datasandbox.sample.sampling;

import java.util.Objects;

/**
 * Which privacy units a sample keeps: those whose keyed hash falls below {@code fraction}. The same
 * spec applied to two tables with the same privacy unit keeps the same people, so joins still match.
 *
 * @param privacyUnit the privacy-unit column of the table being sampled
 * @param fraction share of privacy units to keep, in (0, 1]
 * @param seed varies the selection; fixed for reproducible samples
 */
public record SampleSpec(String privacyUnit, double fraction, long seed) {

    public SampleSpec {
        Objects.requireNonNull(privacyUnit, "privacyUnit");
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in (0, 1]. Provided value: " + fraction);
        }
    }
}
