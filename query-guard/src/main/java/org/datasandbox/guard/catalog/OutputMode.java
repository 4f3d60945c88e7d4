package org.datasandbox.guard.catalog;

/** How a scenario's output may leave the sandbox. */
public enum OutputMode {
    /** Aggregates only, each released group with at least k distinct privacy units. */
    THRESHOLD
}
