package org.datasandbox.sample.report;

import java.util.List;
import java.util.Map;
import org.datasandbox.sample.synthetic.UtilityEstimate;

/**
 * The report of a synthetic sample. A synthetic sample is a DP release, so its report holds only what is
 * free after it: figures of the model (released with noise), of the sample, or of both, and the public
 * spec. It holds no exact statistic of the originals: no distance of sample rows to original records, no
 * exact distribution distance or correlation against them (those are measured in tests and benchmarks
 * only).
 *
 * @param rows rows in the sample
 * @param epsilon what the model spent on the originals; {@code delta} likewise, from partition selection
 * @param spent epsilon per kind of step: rows per person, 1-way marginals, tree selection, 2-way marginals
 * @param units the model's noisy number of people (rounded)
 * @param columns per granted column, where its values come from and how close they are
 * @param dependencies the pairs of granted columns whose 2-way marginal the model kept, "child <- parent"
 * @param warnings for the developer: small table, columns that lose categories or are empty
 * @param risk equivalence classes of the sample on its quasi-identifiers (sample rows only; null when none)
 * @param estimateBeforeFit what the sandbox expected of the model before it spent the budget, from the policy
 *     and the table's registered size alone (null when not given): its warnings are the small-table warning
 *     the first caller was told before any data was read
 */
public record SyntheticReport(String table, String kind, long rows, String epsilon, double delta,
                              Map<String, String> spent, long units, Map<String, Column> columns,
                              List<String> dependencies, List<String> warnings,
                              SampleReport.ReidentificationRisk risk, UtilityEstimate estimateBeforeFit) implements Report {

    public SyntheticReport {
        spent = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(spent));   // in the order given
        columns = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(columns));
        dependencies = List.copyOf(dependencies);
        warnings = List.copyOf(warnings);
    }

    /** This report with the estimate made before the fit, restricted to the columns the report names. */
    public SyntheticReport withEstimateBeforeFit(UtilityEstimate estimate) {
        Map<String, Double> shown = new java.util.LinkedHashMap<>();
        estimate.expectedDistributionError().forEach((name, error) -> {
            if (columns.containsKey(name)) {
                shown.put(name, error);
            }
        });
        return new SyntheticReport(table, kind, rows, epsilon, delta, spent, units, columns, dependencies, warnings, risk,
                new UtilityEstimate(estimate.units(), shown, estimate.meanExpectedError(), estimate.smallestReleasedCategory(),
                        estimate.warnings()));
    }

    /**
     * @param source {@code model} (drawn from the DP model), {@code numbered} (privacy units, 1 to n) or
     *     {@code made up} (identifiers in their format)
     * @param expectedError for modelled columns, the total variation distance noise is expected to add to
     *     the column's distribution, from the noise scale and the noisy number of people (null otherwise)
     * @param distanceToModel total variation distance between the sample and the model's released
     *     marginal of the column: sampling error, computed from DP figures and the sample only
     * @param note what the sample does not keep of the column and why, "" when nothing
     */
    public record Column(String source, Double expectedError, Double distanceToModel, String note) {
    }
}
