package org.datasandbox.guard.dp;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
 * @param normalizedQuery the query as the guard planned it, before the rewrite: the same for the same question
 *                        whatever its spacing, and free of the rewrite's per-query secret salts, so it (not
 *                        {@code sparkSql}) keys the answer cache that stops averaging attacks
 * @param unitRows the per-unit step for a streaming bounding that gives the same partials as {@code sparkSql}
 *                 over rows clustered and sorted by the unit; empty when only the SQL path can bound the query
 *                 (quantiles, or no bounding at all)
 */
public record DpQuery(String sparkSql, List<String> groupKeys, List<DpAggregate> aggregates, String unitCountColumn,
                      ContributionBounds bounds, Map<String, List<String>> publicDomains, String normalizedQuery,
                      Optional<UnitRows> unitRows) {

    /** A plan with the SQL path only. */
    public DpQuery(String sparkSql, List<String> groupKeys, List<DpAggregate> aggregates, String unitCountColumn,
                   ContributionBounds bounds, Map<String, List<String>> publicDomains, String normalizedQuery) {
        this(sparkSql, groupKeys, aggregates, unitCountColumn, bounds, publicDomains, normalizedQuery,
                Optional.empty());
    }

    /** A plan whose SQL has no per-query salt (hand-written plans): the SQL is its own normalized form. */
    public DpQuery(String sparkSql, List<String> groupKeys, List<DpAggregate> aggregates, String unitCountColumn,
                   ContributionBounds bounds, Map<String, List<String>> publicDomains) {
        this(sparkSql, groupKeys, aggregates, unitCountColumn, bounds, publicDomains, sparkSql);
    }

    public DpQuery {
        Objects.requireNonNull(sparkSql, "sparkSql");
        groupKeys = List.copyOf(groupKeys);
        aggregates = List.copyOf(aggregates);
        Objects.requireNonNull(unitCountColumn, "unitCountColumn");
        Objects.requireNonNull(bounds, "bounds");
        publicDomains = Map.copyOf(publicDomains);
        Objects.requireNonNull(normalizedQuery, "normalizedQuery");
        Objects.requireNonNull(unitRows, "unitRows");
        if (aggregates.isEmpty()) {
            throw new IllegalArgumentException("a DP query releases at least one aggregate");
        }
        if (!groupKeys.containsAll(publicDomains.keySet())) {
            throw new IllegalArgumentException("public domains are given only for group keys");
        }
    }

    /** The same plan keyed by the given normalized query. */
    public DpQuery withNormalizedQuery(String query) {
        return new DpQuery(sparkSql, groupKeys, aggregates, unitCountColumn, bounds, publicDomains, query, unitRows);
    }

    /** The same plan with the given per-unit step. */
    public DpQuery withUnitRows(UnitRows rows) {
        return new DpQuery(sparkSql, groupKeys, aggregates, unitCountColumn, bounds, publicDomains, normalizedQuery,
                Optional.of(rows));
    }

    /** Whether the released groups are known in advance, so no partition selection is needed. */
    public boolean groupsArePublic() {
        return publicDomains.keySet().containsAll(groupKeys);
    }
}
