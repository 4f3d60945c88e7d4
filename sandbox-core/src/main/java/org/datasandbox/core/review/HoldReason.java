package org.datasandbox.core.review;

/** Why an output was held instead of released. */
public enum HoldReason {
    /** The scenario's output mode is review: every output waits for a reviewer. */
    REVIEW_MODE,
    /** A threshold release whose cells, against an earlier release of the scenario, leave fewer than k units. */
    POSSIBLE_DIFFERENCE
}
