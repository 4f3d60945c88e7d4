package org.datasandbox.masking.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.datasandbox.masking.MaskingException;

/**
 * How one table is masked for samples and extracts: a function for every column, in column order.
 * A column without an entry is not part of any sample (deny by default).
 */
public record MaskingPolicy(String table, int version, List<ColumnMasking> columns) {

    public MaskingPolicy {
        Objects.requireNonNull(table, "table");
        if (version < 1) {
            throw new MaskingException("policy version must be >= 1. Provided value: " + version);
        }
        columns = List.copyOf(columns);
        if (columns.stream().map(ColumnMasking::column).distinct().count() != columns.size()) {
            throw new MaskingException("policy for " + table + " masks a column twice");
        }
    }

    public Optional<ColumnMasking> column(String name) {
        return columns.stream().filter(c -> c.column().equalsIgnoreCase(name)).findFirst();
    }

    public static Builder builder(String table, int version) {
        return new Builder(table, version);
    }

    /** Collects column maskings in order. */
    public static final class Builder {
        private final String table;
        private final int version;
        private final Map<String, ColumnMasking> columns = new LinkedHashMap<>();

        private Builder(String table, int version) {
            this.table = table;
            this.version = version;
        }

        public Builder column(ColumnMasking masking) {
            if (columns.putIfAbsent(masking.column(), masking) != null) {
                throw new MaskingException("column " + masking.column() + " is masked twice");
            }
            return this;
        }

        public MaskingPolicy build() {
            return new MaskingPolicy(table, version, new ArrayList<>(columns.values()));
        }
    }
}
