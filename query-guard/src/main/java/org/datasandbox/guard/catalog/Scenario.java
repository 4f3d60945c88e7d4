package org.datasandbox.guard.catalog;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * An approved application scenario: which tables and columns it may read and how output leaves.
 * Only granted tables and columns exist for a query under this scenario.
 *
 * @param grants table name to granted column names (lower case)
 * @param minGroupSize k: distinct privacy units each released group must have
 * @param smallGroups what happens to groups below k
 * @param contributionBounds how much one privacy unit may contribute in {@link OutputMode#DP}
 */
public record Scenario(String id, Map<String, Set<String>> grants, OutputMode outputMode, int minGroupSize,
                       SmallGroups smallGroups, ContributionBounds contributionBounds) {

    /** Groups below k are dropped, or merged into one remainder group whose keys are NULL. */
    public enum SmallGroups {
        SUPPRESS,
        MERGE
    }

    public Scenario(String id, Map<String, Set<String>> grants, OutputMode outputMode, int minGroupSize) {
        this(id, grants, outputMode, minGroupSize, SmallGroups.SUPPRESS);
    }

    public Scenario(String id, Map<String, Set<String>> grants, OutputMode outputMode, int minGroupSize,
                    SmallGroups smallGroups) {
        this(id, grants, outputMode, minGroupSize, smallGroups, ContributionBounds.DEFAULT);
    }

    public Scenario {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(outputMode, "outputMode");
        Objects.requireNonNull(smallGroups, "smallGroups");
        Objects.requireNonNull(contributionBounds, "contributionBounds");
        if (minGroupSize < 2) {
            throw new IllegalArgumentException("k must be >= 2. Provided value: " + minGroupSize);
        }
        Map<String, Set<String>> copy = new TreeMap<>();
        grants.forEach((table, columns) -> copy.put(table.toLowerCase(Locale.ROOT),
                columns.stream().map(c -> c.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet())));
        grants = java.util.Collections.unmodifiableMap(copy);
    }

    public boolean grants(String table, String column) {
        Set<String> columns = grants.get(table.toLowerCase(Locale.ROOT));
        return columns != null && columns.contains(column.toLowerCase(Locale.ROOT));
    }
}
