package org.datasandbox.guard.catalog;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A table with its columns in storage order; exactly one column is the privacy unit.
 *
 * @param oneRowPerUnit the table holds at most one row per privacy unit (a person table, not an event table):
 *                      in DP mode a query over such tables alone, without joins, needs clamping only and no
 *                      per-unit contribution bounding. The runtime must only set it when it holds for the data.
 */
public record GuardTable(String name, List<GuardColumn> columns, boolean oneRowPerUnit) {

    public GuardTable(String name, List<GuardColumn> columns) {
        this(name, columns, false);
    }

    public GuardTable {
        Objects.requireNonNull(name, "name");
        columns = List.copyOf(columns);
        long units = columns.stream().filter(c -> c.role() == ColumnRole.PRIVACY_UNIT).count();
        if (units != 1) {
            throw new IllegalArgumentException("table " + name + " must have exactly one privacy unit column, has " + units);
        }
    }

    public GuardTable withOneRowPerUnit(boolean value) {
        return new GuardTable(name, columns, value);
    }

    public Optional<GuardColumn> column(String columnName) {
        return columns.stream().filter(c -> c.name().equalsIgnoreCase(columnName)).findFirst();
    }

    public GuardColumn privacyUnit() {
        return columns.stream().filter(c -> c.role() == ColumnRole.PRIVACY_UNIT).findFirst().orElseThrow();
    }
}
