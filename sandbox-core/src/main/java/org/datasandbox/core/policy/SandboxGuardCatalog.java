package org.datasandbox.core.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.datasandbox.core.catalog.DatasetCatalog;
import org.datasandbox.core.catalog.DatasetColumn;
import org.datasandbox.core.catalog.DatasetDescriptor;
import org.datasandbox.guard.catalog.GuardCatalog;
import org.datasandbox.guard.catalog.GuardColumn;
import org.datasandbox.guard.catalog.GuardTable;
import org.datasandbox.guard.catalog.JoinKey;
import org.datasandbox.guard.catalog.Scenario;

/**
 * The query guard's view of the sandbox: a table exists for the guard only when it is registered and
 * has a policy in force; its columns carry the registered types and the policy's roles, and the table
 * its policy's one-row-per-unit declaration, which the sandbox verified on the registered data.
 */
public final class SandboxGuardCatalog implements GuardCatalog {
    private final DatasetCatalog datasets;
    private final PolicyStore policies;

    public SandboxGuardCatalog(DatasetCatalog datasets, PolicyStore policies) {
        this.datasets = datasets;
        this.policies = policies;
    }

    @Override
    public Optional<GuardTable> table(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        Optional<DatasetDescriptor> dataset = datasets.get(key);
        Optional<TablePolicy> policy = policies.table(key);
        if (dataset.isEmpty() || policy.isEmpty()) {
            return Optional.empty();
        }
        List<GuardColumn> columns = new ArrayList<>();
        for (DatasetColumn column : dataset.get().columns()) {
            Optional<ColumnPolicy> rule = policy.get().column(column.name());
            if (rule.isEmpty()) {
                continue; // a column without a role does not exist for queries
            }
            columns.add(new GuardColumn(column.name(), column.type(), rule.get().role(), rule.get().bounds(),
                    rule.get().bucketing(), rule.get().values()));
        }
        // one_row_per_unit was verified on this data when the policy or the data came second (Sandbox)
        return Optional.of(new GuardTable(key, columns, policy.get().oneRowPerUnit()));
    }

    @Override
    public List<JoinKey> joinKeys() {
        return datasets.list().stream()
                .flatMap(d -> policies.table(d.name()).stream())
                .flatMap(p -> p.joins().stream())
                .toList();
    }

    /** The guard's scenario for a policy, over the registered tables. */
    public Scenario scenario(ScenarioPolicy policy) {
        return GuardScenarios.of(policy, this, policies::table);
    }
}
