package org.datasandbox.sample.report;

import java.util.List;
import java.util.Map;

/**
 * The report of a masked sample. A masked sample is a release of real rows, so its report may say only what
 * the sample already says or what counts risk: every figure is computed from the sample and the policy (public
 * to the developer), or is a risk figure counted over classes of people (a count or share that names no value).
 * Nothing compares the sample with the originals value by value: on a small table a distance to the closest
 * original or an exact distribution distance narrows one person's value to what the mask was meant to hide.
 * {@link MaskedReports} builds it without the originals as an argument.
 *
 * @param kind {@code masked}
 * @param rows rows in the sample
 */
public record SampleReport(String table, String kind, long rows, Utility utility, Privacy privacy) implements Report {

    public SampleReport {
        java.util.Objects.requireNonNull(utility, "utility");
        java.util.Objects.requireNonNull(privacy, "privacy");
    }

    /**
     * What masking and anonymization took from the granted modelled columns, from the sample and the policy.
     *
     * @param columns per column: how far it was generalized, the share of its cells that are empty and its
     *     information loss
     * @param meanInformationLoss the mean over the columns, 0 (every cell exact) to 1 (every cell empty)
     */
    public record Utility(Map<String, ColumnUtility> columns, double meanInformationLoss) {
        public Utility {
            columns = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(columns));
        }
    }

    /**
     * @param generalization "as masked", "multiples of 50000", "decade", "removed"
     * @param emptyShare the share of the sample's cells of the column that hold no value
     * @param informationLoss the mean over its cells of the share of the column's public domain one value
     *     covers (an empty cell 1, an exact value 0): the normalized certainty penalty
     */
    public record ColumnUtility(String generalization, double emptyShare, double informationLoss) {
    }

    /**
     * @param exactMatches rows served exactly as recorded: every compared column kept by its mask and not
     *     generalized (decided by the policy, not by comparing values)
     * @param risk equivalence classes of the sample on its quasi-identifiers, null when the policy names none
     * @param suppressedRows rows dropped to reach k-anonymity and l-diversity
     * @param anonymity the risk over every attacker-known column, counted in people
     */
    public record Privacy(long exactMatches, ReidentificationRisk risk, long suppressedRows, MaskedRisk anonymity) {
    }

    /**
     * Equivalence classes of the sample on its quasi-identifiers: a row alone in its class is unique and
     * the easiest to link to a person.
     *
     * @param maxRisk 1 / size of the smallest class; {@code averageRisk}: classes / rows
     */
    public record ReidentificationRisk(List<String> quasiIdentifiers, int k, long classes, long smallestClass,
                                       double shareOfRowsBelowK, double maxRisk, double averageRisk) {
    }
}
