package org.datasandbox.guard.catalog;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A table with its columns in storage order; exactly one column is the privacy unit. */
public record GuardTable(String name, List<GuardColumn> columns) {

    public GuardTable {
        Objects.requireNonNull(name, "name");
        columns = List.copyOf(columns);
        long units = columns.stream().filter(c -> c.role() == ColumnRole.PRIVACY_UNIT).count();
        if (units != 1) {
            throw new IllegalArgumentException("table " + name + " must have exactly one privacy unit column, has " + units);
        }
    }

    public Optional<GuardColumn> column(String columnName) {
        return columns.stream().filter(c -> c.name().equalsIgnoreCase(columnName)).findFirst();
    }

    public GuardColumn privacyUnit() {
        return columns.stream().filter(c -> c.role() == ColumnRole.PRIVACY_UNIT).findFirst().orElseThrow();
    }
}
