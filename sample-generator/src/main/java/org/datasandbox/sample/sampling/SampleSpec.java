package org.datasandbox.sample.sampling;

import java.util.Objects;

/**
 * Which privacy units a sample keeps: those whose keyed hash falls below {@code fraction}, or, when the
 * sample is stratified, the {@code fraction} of each stratum with the smallest keyed hashes (every
 * stratum keeps at least one unit). The same unstratified spec applied to two tables with the same
 * privacy unit keeps the same people, so joins still match; a stratified selection is carried to linked
 * tables with {@link MaskedSampleGenerator#keepUnits}.
 *
 * @param privacyUnit the privacy-unit column of the table being sampled
 * @param fraction share of privacy units to keep, in (0, 1]
 * @param seed keys the selection: derived from the scenario's secret key, so that every scenario gets
 *     other people and nobody outside can tell who was selected; fixed for reproducible samples
 * @param stratifyBy the column whose values are the strata, empty for none
 */
public record SampleSpec(String privacyUnit, double fraction, long seed, String stratifyBy) {

    public SampleSpec {
        Objects.requireNonNull(privacyUnit, "privacyUnit");
        Objects.requireNonNull(stratifyBy, "stratifyBy");
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in (0, 1]. Provided value: " + fraction);
        }
    }

    public SampleSpec(String privacyUnit, double fraction, long seed) {
        this(privacyUnit, fraction, seed, "");
    }

    public boolean stratified() {
        return !stratifyBy.isEmpty();
    }
}
