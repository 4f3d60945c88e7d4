package org.datasandbox.guard.catalog;

/** How a scenario's output may leave the sandbox. */
public enum OutputMode {
    /** Aggregates only, each released group with at least k distinct privacy units. */
    THRESHOLD,
    /**
     * Noisy aggregates: each privacy unit's contribution is bounded ({@link ContributionBounds}), noise is added
     * after execution inside the sandbox and each release is charged to a lifetime budget.
     */
    DP
}
