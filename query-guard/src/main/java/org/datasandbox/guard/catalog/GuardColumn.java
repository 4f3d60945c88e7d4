package org.datasandbox.guard.catalog;

import java.util.Objects;
import java.util.Optional;

/**
 * One column as the guard sees it.
 *
 * @param bounds present when the column may be aggregated as a measure (a quasi-identifier such as age can be one)
 * @param bucketing present when a quasi-identifier may be grouped by in coarse buckets
 */
public record GuardColumn(String name, ColumnType type, ColumnRole role, Optional<Bounds> bounds,
                          Optional<Bucketing> bucketing) {

    public GuardColumn {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(bounds, "bounds");
        Objects.requireNonNull(bucketing, "bucketing");
    }

    public static GuardColumn of(String name, ColumnType type, ColumnRole role) {
        return new GuardColumn(name, type, role, Optional.empty(), Optional.empty());
    }

    public GuardColumn withBounds(Bounds value) {
        return new GuardColumn(name, type, role, Optional.of(value), bucketing);
    }

    public GuardColumn withBucketing(Bucketing value) {
        return new GuardColumn(name, type, role, bounds, Optional.of(value));
    }
}
