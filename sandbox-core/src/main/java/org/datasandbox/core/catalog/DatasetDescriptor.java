package org.datasandbox.core.catalog;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A registered dataset.
 *
 * @param contentHash hash of the uploaded bytes, as recorded in the ledger
 * @param registeredBy the real name of the provider who registered it
 */
public record DatasetDescriptor(String name, String description, List<DatasetColumn> columns, long rows,
                                String contentHash, String registeredBy, String registeredAt) {
    public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    public DatasetDescriptor {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("dataset names are lower-case identifiers of at most 63 characters");
        }
        description = description == null ? "" : description;
        columns = List.copyOf(columns);
        Objects.requireNonNull(contentHash, "contentHash");
        Objects.requireNonNull(registeredBy, "registeredBy");
        Objects.requireNonNull(registeredAt, "registeredAt");
    }

    public Optional<DatasetColumn> column(String columnName) {
        return columns.stream().filter(c -> c.name().equalsIgnoreCase(columnName)).findFirst();
    }
}
