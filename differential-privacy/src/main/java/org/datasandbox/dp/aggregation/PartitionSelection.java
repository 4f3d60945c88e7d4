package org.datasandbox.dp.aggregation;

/**
 * Thresholded partition selection (Korolova et al., "Releasing Search Queries and Clicks Privately",
 * WWW 2009; as in Google's library): a key whose noisy count is below the threshold is not released.
 * With discrete Laplace noise of scale b and at most {@code m} keys per privacy unit, a key held by a
 * single unit clears {@code τ = m + b·ln(m / (2δ))} with probability at most δ.
 */
public final class PartitionSelection {
    private PartitionSelection() {
    }

    public static long threshold(double scale, long maxContributions, double delta) {
        return (long) Math.ceil(maxContributions + scale * Math.log(maxContributions / (2 * delta)));
    }
}
