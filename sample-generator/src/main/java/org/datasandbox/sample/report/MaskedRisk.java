package org.datasandbox.sample.report;

import java.util.List;
import java.util.Map;

/**
 * The re-identification risk of a masked sample over the columns an attacker can know, as ARX and sdcMicro
 * define it, counted in people: f is the size of a person's class in the sample, F in the originals (the
 * population the sample was drawn from). Every figure is a rounded aggregate; none is a value.
 *
 * @param knownColumns the columns an attacker is assumed to know: every column whose mask they can compute
 * @param identifyingColumns known columns whose masked values alone single out someone (shared by fewer
 *     than k people among the originals) before generalization: the uniqueness scan
 * @param sensitiveColumns the sensitive columns served with values, each l-diverse in every class
 * @param generalization per known column, how far it was generalized ("as masked", "decade", "removed")
 * @param suppressedRows rows dropped because their class stayed below k people or l sensitive values
 * @param prosecutorMaxRisk 1 / smallest f: the attacker knows the person is in the sample
 * @param prosecutorAverageRisk the mean of 1 / f over people: classes / people
 * @param journalistMaxRisk 1 / smallest F among the sample's classes: the attacker does not know whether
 *     the person is in the sample and links through the population
 * @param marketerRisk the expected share of sample people re-identified when every one is linked:
 *     (1 / n) × sum over classes of f / F
 * @param sampleUniqueShare people alone in their class in the sample
 * @param populationUniqueShare people alone in their class among all originals (exact: the sandbox holds
 *     the population)
 * @param populationBelowKShare people whose class among all originals has fewer than k people
 * @param verbatimRows rows served exactly as recorded on every compared column (all of them kept as is),
 *     the honest "exact copies of originals" of a masked sample
 */
public record MaskedRisk(List<String> knownColumns, List<String> identifyingColumns, List<String> sensitiveColumns, int k, int l,
                         Map<String, String> generalization, long suppressedRows, double prosecutorMaxRisk,
                         double prosecutorAverageRisk, double journalistMaxRisk, double marketerRisk,
                         double sampleUniqueShare, double populationUniqueShare, double populationBelowKShare,
                         long verbatimRows) {

    public MaskedRisk {
        knownColumns = List.copyOf(knownColumns);
        identifyingColumns = List.copyOf(identifyingColumns);
        sensitiveColumns = List.copyOf(sensitiveColumns);
        generalization = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(generalization));
    }

    /** With the columns the uniqueness scan found identifying on their own. */
    public MaskedRisk withIdentifying(List<String> identifying) {
        return new MaskedRisk(knownColumns, identifying, sensitiveColumns, k, l, generalization, suppressedRows,
                prosecutorMaxRisk, prosecutorAverageRisk, journalistMaxRisk, marketerRisk, sampleUniqueShare,
                populationUniqueShare, populationBelowKShare, verbatimRows);
    }

    /**
     * The report as a scenario may see it: columns it was not granted are not named. The figures stay those
     * of all stored columns, which can only overstate the risk of the granted ones.
     */
    public MaskedRisk visibleTo(java.util.Set<String> granted) {
        Map<String, String> shown = new java.util.TreeMap<>();
        generalization.forEach((column, level) -> {
            if (granted.contains(column)) {
                shown.put(column, level);
            }
        });
        return new MaskedRisk(knownColumns.stream().filter(granted::contains).toList(),
                identifyingColumns.stream().filter(granted::contains).toList(),
                sensitiveColumns.stream().filter(granted::contains).toList(), k, l, shown, suppressedRows,
                prosecutorMaxRisk, prosecutorAverageRisk, journalistMaxRisk, marketerRisk, sampleUniqueShare,
                populationUniqueShare, populationBelowKShare, verbatimRows);
    }
}
