package org.datasandbox.sample.sampling;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * k-anonymity and l-diversity of a masked sample of a linked table. Its rows are anonymized together with their
 * person's released values in the parent's sample (known and sensitive columns), as an attacker who joins the two
 * on the pseudonym sees them: every class of the child's and the parent's known values together holds k people and
 * l values of every sensitive column, the parent's included, counted per person. The parent's columns are fixed
 * (already released) and leave before the sample is stored.
 */
public final class LinkedAnonymizer {

    private LinkedAnonymizer() {
    }

    /**
     * @param masked the table's masked rows, those of people suppressed from the parent's sample already removed
     * @param links the table's links
     * @param spec the table's own anonymity spec
     * @param parent the parent's released sample, when the table's sample joins it (see {@link LinkedTables#joinedParent})
     */
    public static KlAnonymizer.Anonymized anonymize(Dataset<Row> masked, LinkedTables links, AnonymitySpec spec,
                                                    Optional<ParentRelease> parent) {
        if (parent.isEmpty() || links.joinedParent().isEmpty()) {
            return KlAnonymizer.anonymize(masked, spec);
        }
        ParentRelease released = parent.get();
        Dataset<Row> joined = LinkedSampler.withParentColumns(masked, links.unit(), released.rows(), released.unit(), released.carried());
        KlAnonymizer.Anonymized anonymized = KlAnonymizer.anonymize(joined, released.joinedSpec(spec));
        Map<String, Integer> levels = new LinkedHashMap<>();
        Map<String, String> described = new LinkedHashMap<>();
        for (String name : spec.known().keySet()) {
            levels.put(name, anonymized.levels().get(name));
            described.put(name, anonymized.generalization().get(name));
        }
        return new KlAnonymizer.Anonymized(LinkedSampler.withoutParentColumns(anonymized.rows()), Map.copyOf(levels), described,
                anonymized.suppressedRows());
    }

    /**
     * A linked table's masked rows whose person is still in the parent's released sample, so that every row still
     * joins its person; the rows unchanged when the table's sample does not join its parent's.
     */
    public static Dataset<Row> withSuppressedParentsRemoved(Dataset<Row> masked, LinkedTables links, Optional<Dataset<Row>> parentSample) {
        if (parentSample.isEmpty() || links.joinedParent().isEmpty()) {
            return masked;
        }
        return LinkedSampler.withParentsKept(masked, links.unit(), parentSample.get(), links.joinedParent().get().unit());
    }
}
