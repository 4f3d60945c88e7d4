package org.datasandbox.guard.dp;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.datasandbox.guard.catalog.ContributionBounds;

/**
 * The guard's plan for a DP release: Spark SQL that bounds each unit's contribution and returns one row per
 * group with the group keys, the bounded partials of each aggregate and the number of distinct units behind
 * the group; and what the sandbox needs to noise it.
 *
 * @param sparkSql the SQL to execute; its columns are {@code groupKeys}, every aggregate's partial columns and
 *                 {@code unitCountColumn}
 * @param groupKeys the released group key columns, in output order
 * @param aggregates the released values, in output order after the keys
 * @param unitCountColumn the SQL column with the distinct units of each group after bounding (for partition
 *                        selection)
 * @param bounds the contribution bounds the SQL enforces
 * @param publicDomains group key to its public values: when every key has one, partition selection is skipped
 *                      and each combination is released, noisy zeros included
 */
public record DpQuery(String sparkSql, List<String> groupKeys, List<DpAggregate> aggregates, String unitCountColumn,
                      ContributionBounds bounds, Map<String, List<String>> publicDomains) {

    public DpQuery {
        Objects.requireNonNull(sparkSql, "sparkSql");
        groupKeys = List.copyOf(groupKeys);
        aggregates = List.copyOf(aggregates);
        Objects.requireNonNull(unitCountColumn, "unitCountColumn");
        Objects.requireNonNull(bounds, "bounds");
        publicDomains = Map.copyOf(publicDomains);
        if (aggregates.isEmpty()) {
            throw new IllegalArgumentException("a DP query releases at least one aggregate");
        }
        if (!groupKeys.containsAll(publicDomains.keySet())) {
            throw new IllegalArgumentException("public domains are given only for group keys");
        }
    }

    /** Whether the released groups are known in advance, so no partition selection is needed. */
    public boolean groupsArePublic() {
        return publicDomains.keySet().containsAll(groupKeys);
    }
}
