package org.datasandbox.core.review;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cells a scenario has released, each with the set of privacy units behind it (opaque keys, see
 * {@link UnitKeys}), to find differencing: a new cell and an earlier one whose sets differ by fewer than k units in
 * either direction (but not at all) let a subtraction of the two released values isolate those few people, whatever
 * filter or grouping produced them. Units are compared within one unit domain (tables linked by their units). Held
 * in memory: a restart forgets it (the releases stay in the ledger), so checks after a restart see only later
 * releases.
 */
public final class ReleaseHistory {
    /** One released cell. */
    public record ReleasedCell(String jobId, int row, String domain, Set<String> units) {
        public ReleasedCell {
            units = Set.copyOf(units);
        }
    }

    private final Map<String, List<ReleasedCell>> byScenario = new java.util.HashMap<>();

    /** Records the cells of a release. */
    public synchronized void record(String scenario, List<ReleasedCell> cells) {
        byScenario.computeIfAbsent(scenario, s -> new ArrayList<>()).addAll(cells);
    }

    /**
     * The earlier released cells a cell differences: both in the same domain, sets not equal, and fewer than k units
     * on one side of the difference.
     */
    public synchronized List<DisclosureReport.Difference> differences(String scenario, String domain, Set<String> units,
                                                                      int k) {
        List<DisclosureReport.Difference> found = new ArrayList<>();
        for (ReleasedCell earlier : byScenario.getOrDefault(scenario, List.of())) {
            if (!earlier.domain().equals(domain)) {
                continue;
            }
            long onlyHere = units.stream().filter(u -> !earlier.units().contains(u)).count();
            long onlyThere = earlier.units().stream().filter(u -> !units.contains(u)).count();
            if (differences(onlyHere, onlyThere, k)) {
                found.add(new DisclosureReport.Difference(earlier.jobId(), earlier.row(), onlyHere, onlyThere));
            }
        }
        return found;
    }

    /** The rule on two unit sets' differences: some, and fewer than k on one side. */
    static boolean differences(long onlyHere, long onlyThere, int k) {
        return (onlyHere > 0 && onlyHere < k) || (onlyThere > 0 && onlyThere < k);
    }
}
