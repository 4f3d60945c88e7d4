package org.datasandbox.core.policy;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.datasandbox.guard.catalog.GuardCatalog;
import org.datasandbox.guard.catalog.GuardColumn;
import org.datasandbox.guard.catalog.GuardTable;
import org.datasandbox.guard.catalog.Scenario;

/** Turns an approved scenario into what the guard enforces. */
final class GuardScenarios {
    private GuardScenarios() {
    }

    /**
     * Named columns and the table's privacy unit: the guard counts people by it (k, contribution bounds), so a
     * scenario that grants some columns of a table grants the guard its unit too. The unit is an identifier: the
     * guard never releases it row by row, and samples and the catalog show only the columns named.
     */
    private static Set<String> withUnit(Set<String> named, GuardTable table) {
        Set<String> columns = new java.util.HashSet<>(named);
        columns.add(table.privacyUnit().name());
        return columns;
    }

    /**
     * Grants expanded ({@code *} means every column with a role; tables the catalog lacks grant nothing)
     * and k raised to the largest k of any granted table; in DP mode, the scenario's contribution bounds.
     */
    static Scenario of(ScenarioPolicy policy, GuardCatalog catalog, Function<String, Optional<TablePolicy>> tables) {
        Map<String, Set<String>> grants = new TreeMap<>();
        int k = policy.minGroupSize();
        for (Map.Entry<String, Set<String>> grant : policy.grants().entrySet()) {
            Optional<GuardTable> table = catalog.table(grant.getKey());
            if (table.isEmpty()) {
                continue;
            }
            k = Math.max(k, tables.apply(grant.getKey()).map(TablePolicy::minGroupSize).orElse(k));
            Set<String> columns = grant.getValue().contains("*")
                    ? table.get().columns().stream().map(GuardColumn::name).collect(Collectors.toSet())
                    : withUnit(grant.getValue(), table.get());
            grants.put(grant.getKey(), columns);
        }
        return new Scenario(policy.id(), grants, policy.mode(), k, policy.smallGroups(), policy.dp().bounds());
    }
}
