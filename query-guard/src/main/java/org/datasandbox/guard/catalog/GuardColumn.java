package org.datasandbox.guard.catalog;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One column as the guard sees it.
 *
 * @param bounds present when the column may be aggregated as a measure (a quasi-identifier such as age can be one)
 * @param bucketing present when a quasi-identifier may be grouped by in coarse buckets
 * @param publicValues the column's public domain declared in the policy (empty when none): in DP mode a group
 *                     key with a public domain skips partition selection and every value is released
 */
public record GuardColumn(String name, ColumnType type, ColumnRole role, Optional<Bounds> bounds,
                          Optional<Bucketing> bucketing, List<String> publicValues) {

    public GuardColumn(String name, ColumnType type, ColumnRole role, Optional<Bounds> bounds,
                       Optional<Bucketing> bucketing) {
        this(name, type, role, bounds, bucketing, List.of());
    }

    public GuardColumn {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(bounds, "bounds");
        Objects.requireNonNull(bucketing, "bucketing");
        publicValues = List.copyOf(publicValues);
    }

    public static GuardColumn of(String name, ColumnType type, ColumnRole role) {
        return new GuardColumn(name, type, role, Optional.empty(), Optional.empty());
    }

    public GuardColumn withBounds(Bounds value) {
        return new GuardColumn(name, type, role, Optional.of(value), bucketing, publicValues);
    }

    public GuardColumn withPublicValues(List<String> values) {
        return new GuardColumn(name, type, role, bounds, bucketing, values);
    }

    public GuardColumn withBucketing(Bucketing value) {
        return new GuardColumn(name, type, role, bounds, Optional.of(value), publicValues);
    }
}
