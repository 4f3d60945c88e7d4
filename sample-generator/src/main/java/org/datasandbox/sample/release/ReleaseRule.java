package org.datasandbox.sample.release;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rule of masked re-releases. Two releases under the same keys join on the pseudonym, and a person's
 * values in both together can single them out even when each release alone is k-anonymous (one shows
 * birth years and income in wide bands, the other no birth year and narrow bands). A later release may
 * keep the keys of every earlier one still held only if, for the same people, it tells nothing they did not:
 * <ul>
 *   <li>the same data (the table's and its linked parents' content), so that a person's values did not move;</li>
 *   <li>the same selection or a larger share of it (same stratification), so that every earlier person is
 *       selected again and anonymization of coarser values has no reason to drop them;</li>
 *   <li>every shown column a function of the earlier release's value of the same column: emptied, or the
 *       same mask generalized to the same or a nesting coarser level; a column the earlier release did not
 *       show is new information.</li>
 * </ul>
 * Then every class of the later release over the earlier people is a union of earlier classes, so the join
 * of the two on the pseudonym has the earlier release's classes: none below k, none below l. Otherwise the
 * release gets fresh keys: its pseudonyms and its selection are unrelated to every earlier one.
 */
public final class ReleaseRule {

    private ReleaseRule() {
    }

    /**
     * Why {@code later} would narrow someone joined with {@code earlier} under the same keys, or empty when it
     * cannot. The reason names columns and versions only.
     */
    public static Optional<String> narrowing(MaskedRelease earlier, MaskedRelease later) {
        if (!earlier.dataVersions().equals(later.dataVersions())) {
            return Optional.of("the data changed since the earlier release");
        }
        if (!earlier.stratifyBy().equals(later.stratifyBy()) || later.fraction() < earlier.fraction()) {
            return Optional.of("the selection of people changed");
        }
        for (Map.Entry<String, ShownColumn> column : later.shown().entrySet()) {
            ShownColumn before = earlier.shown().get(column.getKey());
            if (column.getValue().constant()) {
                continue;
            }
            if (before == null) {
                return Optional.of("column " + column.getKey() + " was not shown before");
            }
            if (!column.getValue().determinedBy(before)) {
                return Optional.of("column " + column.getKey() + " is finer than or differently cut from before");
            }
        }
        return Optional.empty();
    }

    /** The first reason any of {@code earlier} (every release still held under the keys) forbids {@code later}. */
    public static Optional<String> narrowing(List<MaskedRelease> earlier, MaskedRelease later) {
        for (MaskedRelease release : earlier) {
            Optional<String> reason = narrowing(release, later);
            if (reason.isPresent()) {
                return reason;
            }
        }
        return Optional.empty();
    }
}
