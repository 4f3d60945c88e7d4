package org.datasandbox.sample.report;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.datasandbox.sample.sampling.AnonymitySpec;
import org.datasandbox.sample.sampling.KlAnonymizer;
import org.datasandbox.sample.sampling.LinkedSampler;
import org.datasandbox.sample.sampling.ParentRelease;

/**
 * {@link MaskedRisk} of a linked table's masked sample over what an attacker joins: each of its rows with its
 * person's released values in the parent's sample (on the pseudonym), in the sample and, for F, among all
 * originals joined the same way (the child's masked and generalized like the sample, the parent's as its sample
 * was released). The parent's columns are named {@code parent.column} in the report.
 */
public final class LinkedRiskReports {

    private LinkedRiskReports() {
    }

    /**
     * @param sample the table's anonymized sample (its own columns)
     * @param population every original row of the table, masked like the sample (not yet generalized)
     * @param spec the table's own anonymity spec
     * @param levels the generalization levels its anonymization reached
     * @param parent the parent's release the sample joins
     */
    public static MaskedRisk measure(Dataset<Row> sample, Dataset<Row> population, AnonymitySpec spec, Map<String, Integer> levels,
                                     ParentRelease parent, Map<String, String> generalization, long suppressedRows, long verbatimRows) {
        AnonymitySpec joined = parent.joinedSpec(spec);
        Dataset<Row> joinedSample = LinkedSampler.withParentColumns(sample, spec.unit(), parent.rows(), parent.unit(), parent.carried());
        Dataset<Row> joinedPopulation = KlAnonymizer.generalize(
                LinkedSampler.withParentColumns(population, spec.unit(), parent.population(), parent.unit(), parent.carried()), joined, levels);
        MaskedRisk risk = MaskedRiskReports.measure(joinedSample, joinedPopulation, spec.unit(), List.copyOf(joined.known().keySet()),
                joined.sensitive(), joined.k(), joined.l(), generalization, suppressedRows, verbatimRows);
        return new MaskedRisk(qualified(risk.knownColumns(), parent), risk.identifyingColumns(), qualified(risk.sensitiveColumns(), parent),
                risk.k(), risk.l(), risk.generalization(), risk.suppressedRows(), risk.prosecutorMaxRisk(), risk.prosecutorAverageRisk(),
                risk.journalistMaxRisk(), risk.marketerRisk(), risk.sampleUniqueShare(), risk.populationUniqueShare(),
                risk.populationBelowKShare(), risk.verbatimRows());
    }

    /** The parent's carried columns named as the attacker knows them: {@code parent.column}. */
    private static List<String> qualified(List<String> columns, ParentRelease parent) {
        return columns.stream().map(c -> c.startsWith(LinkedSampler.PARENT_PREFIX)
                ? parent.table() + "." + c.substring(LinkedSampler.PARENT_PREFIX.length()) : c).toList();
    }

    /** The names under which {@link #measure} reports the parent's columns: what a scenario granted them may see. */
    public static List<String> parentNames(ParentRelease parent) {
        return parent.carried().stream().map(c -> parent.table() + "." + c).toList();
    }
}
