package org.datasandbox.core.policy;

import java.util.Objects;
import org.datasandbox.core.review.DisclosureSettings;

/**
 * How a scenario's outputs are reviewed: whether every output waits for a reviewer ({@code output: {mode: review}}),
 * how many distinct reviewers must approve a held output ({@code reviewers}, 1 or 2), and the thresholds of its
 * disclosure report ({@code dominance: {p, n, k}}; k is the scenario's). Threshold scenarios hold only outputs
 * that difference an earlier release; DP scenarios hold none.
 */
public record ReviewPolicy(boolean everyOutput, int reviewers, int pPercent, int dominanceN, int dominanceK) {
    /** No review mode, one reviewer, p = 10, (n, k) = (2, 85). */
    public static final ReviewPolicy DEFAULT = new ReviewPolicy(false, 1, 10, 2, 85);

    public ReviewPolicy {
        if (reviewers < 1 || reviewers > 2) {
            throw new IllegalArgumentException("reviewers must be 1 or 2. Provided value: " + reviewers);
        }
        new DisclosureSettings(2, pPercent, dominanceN, dominanceK); // the same checks
    }

    /** The report's settings for a scenario of threshold k. */
    public DisclosureSettings disclosure(int k) {
        return new DisclosureSettings(k, pPercent, dominanceN, dominanceK);
    }

    static ReviewPolicy of(boolean everyOutput, ReviewPolicy base) {
        Objects.requireNonNull(base, "base");
        return new ReviewPolicy(everyOutput, base.reviewers, base.pPercent, base.dominanceN, base.dominanceK);
    }
}
