package org.datasandbox.core.review;

/**
 * The thresholds of a disclosure report: k distinct units per cell; the p% rule (a cell is sensitive when the
 * total minus its two largest contributions is below p% of the largest: the second contributor could estimate
 * the first within p%); the (n, k) dominance rule (a cell is sensitive when its n largest contributions exceed
 * k% of its total).
 */
public record DisclosureSettings(int k, int pPercent, int dominanceN, int dominanceK) {
    /** p = 10, n = 2, k = 85: the usual defaults of statistical offices. */
    public static DisclosureSettings defaults(int k) {
        return new DisclosureSettings(k, 10, 2, 85);
    }

    public DisclosureSettings {
        if (k < 2) {
            throw new IllegalArgumentException("k must be >= 2. Provided value: " + k);
        }
        if (pPercent < 1 || pPercent > 100) {
            throw new IllegalArgumentException("p must be 1 to 100. Provided value: " + pPercent);
        }
        if (dominanceN < 1 || dominanceN > 10) {
            throw new IllegalArgumentException("the dominance rule's n must be 1 to 10. Provided value: " + dominanceN);
        }
        if (dominanceK < 1 || dominanceK > 100) {
            throw new IllegalArgumentException("the dominance rule's k must be 1 to 100. Provided value: " + dominanceK);
        }
    }
}
