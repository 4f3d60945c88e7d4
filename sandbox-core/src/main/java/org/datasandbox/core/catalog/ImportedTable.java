package org.datasandbox.core.catalog;

import java.util.List;

/** A parsed, typed upload (CSV or Parquet): columns and rows of Java values ({@code null} for empty fields). */
public record ImportedTable(List<DatasetColumn> columns, List<Object[]> rows) {

    public ImportedTable {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }
}
