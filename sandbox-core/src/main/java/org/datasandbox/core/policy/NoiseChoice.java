package org.datasandbox.core.policy;

import java.util.Locale;
import java.util.Optional;

/**
 * The noise a DP scenario asks for, its {@code output.mechanism}: the discrete Laplace, the discrete Gaussian, or
 * (the default) whichever of the two gives the smaller noise for each query, chosen from public parameters only
 * (the query's number of values and whether its groups are public, the contribution bounds, epsilon and delta).
 */
public enum NoiseChoice {
    /** Per query, the mechanism with the smaller variance; Laplace when delta is 0. */
    AUTO,
    /** The discrete Laplace: pure epsilon-DP values, epsilon split equally (basic composition). */
    LAPLACE,
    /** The discrete Gaussian: values composed in zCDP; needs delta > 0. */
    GAUSSIAN;

    /** The choice a policy names ({@code auto}, {@code laplace}, {@code gaussian}), if it is one. */
    public static Optional<NoiseChoice> named(String name) {
        for (NoiseChoice choice : values()) {
            if (choice.name().toLowerCase(Locale.ROOT).equalsIgnoreCase(name)) {
                return Optional.of(choice);
            }
        }
        return Optional.empty();
    }
}
