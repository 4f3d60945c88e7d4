package org.datasandbox.core.policy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.datasandbox.guard.catalog.JoinKey;

/**
 * The policy of one table: a role (and masking) for every column, declared join keys, and the minimum
 * number of distinct privacy units per released group, and how its development samples are made.
 *
 * @param oneRowPerUnit the admin's declaration that the table holds exactly one row per privacy unit (the
 *                      unit is non-NULL and unique); the sandbox verifies it on the registered data before
 *                      the guard may rely on it, and refuses the policy or the data when it is false
 */
public record TablePolicy(String table, int version, List<ColumnPolicy> columns, List<JoinKey> joins,
                          int minGroupSize, SamplePolicy samples, String sha, boolean oneRowPerUnit) {

    public TablePolicy {
        Objects.requireNonNull(table, "table");
        columns = List.copyOf(columns);
        joins = List.copyOf(joins);
        Objects.requireNonNull(samples, "samples");
        Objects.requireNonNull(sha, "sha");
    }

    /** The privacy unit's column (the validator admits exactly one). */
    public ColumnPolicy privacyUnit() {
        return columns.stream().filter(c -> c.role() == org.datasandbox.guard.catalog.ColumnRole.PRIVACY_UNIT)
                .findFirst().orElseThrow();
    }

    public Optional<ColumnPolicy> column(String name) {
        return columns.stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst();
    }

    public TablePolicy withVersion(int newVersion) {
        return new TablePolicy(table, newVersion, columns, joins, minGroupSize, samples, sha, oneRowPerUnit);
    }
}
