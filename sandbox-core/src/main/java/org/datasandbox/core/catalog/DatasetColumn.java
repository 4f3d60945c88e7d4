package org.datasandbox.core.catalog;

import java.util.Objects;
import java.util.regex.Pattern;
import org.datasandbox.guard.catalog.ColumnType;

/** One column of a registered dataset: a lower-case identifier and a type. */
public record DatasetColumn(String name, ColumnType type) {
    static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,127}");

    public DatasetColumn {
        Objects.requireNonNull(type, "type");
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("column names are lower-case identifiers");
        }
    }
}
