package org.datasandbox.sample.report;

import java.util.List;
import java.util.Map;

/**
 * What a sample keeps of the originals and what it risks, with each sample. Every figure is an
 * aggregate over many rows, rounded; none is a value of the data.
 *
 * @param kind {@code masked} or {@code synthetic}
 * @param rows rows in the sample
 */
public record SampleReport(String table, String kind, long rows, Fidelity fidelity, Privacy privacy) implements Report {

    /** This report with the privacy figures only the sample's maker knows. */
    public SampleReport with(ReidentificationRisk risk, String epsilon, List<String> dependencies, long suppressedRows) {
        return new SampleReport(table, kind, rows, fidelity, new Privacy(privacy.exactMatches(), privacy.closestRecord(),
                privacy.holdoutClosestRecord(), risk, epsilon, List.copyOf(dependencies), suppressedRows, privacy.anonymity()));
    }

    /**
     * This report with a masked sample's measured risk; its "exact matches" become the rows served verbatim
     * (every compared column as recorded), not rows that a mask happened to leave unchanged.
     */
    public SampleReport with(MaskedRisk anonymity) {
        return new SampleReport(table, kind, rows, fidelity, new Privacy(anonymity.verbatimRows(), privacy.closestRecord(),
                privacy.holdoutClosestRecord(), privacy.risk(), privacy.epsilon(), privacy.dependencies(),
                anonymity.suppressedRows(), anonymity));
    }

    /**
     * @param distributionDistance total variation distance per compared column, 0 (same) to 1 (disjoint),
     *     over its values, or 20 equal bins of its bounds, or years; "no value" is a value
     * @param meanCorrelationDifference mean absolute difference of Pearson correlations over pairs of
     *     numeric columns; {@code maxCorrelationDifference} is the largest, for {@code worstPair}
     */
    public record Fidelity(Map<String, Double> distributionDistance, double meanCorrelationDifference,
                           double maxCorrelationDifference, String worstPair) {
    }

    /**
     * @param exactMatches sample rows equal to some original on every compared column (zero for
     *     synthetic samples, whose copies are removed)
     * @param closestRecord distance of sample rows to the closest original (mean over compared columns of
     *     0..1 per column: range-normalized for numbers, 0 or 1 for categories); {@code holdoutClosestRecord}
     *     is the same for real rows left out of the comparison set, the yardstick: a sample much closer
     *     than real rows are to each other is copying
     * @param risk re-identification risk on the quasi-identifiers, null when the policy names none
     * @param epsilon the DP budget the synthetic model spent, empty for masked samples
     * @param dependencies for synthetic samples, which column each one was drawn after
     * @param suppressedRows rows dropped to reach k-anonymity
     * @param anonymity for masked samples, the risk over every attacker-known column; null for synthetic ones
     */
    public record Privacy(long exactMatches, Distances closestRecord, Distances holdoutClosestRecord,
                          ReidentificationRisk risk, String epsilon, List<String> dependencies, long suppressedRows,
                          MaskedRisk anonymity) {
    }

    /** The 5th percentile and the median of a set of distances. */
    public record Distances(double fifthPercentile, double median) {
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
