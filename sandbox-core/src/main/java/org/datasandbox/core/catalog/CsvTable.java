package org.datasandbox.core.catalog;

import java.util.List;

/** A parsed, typed CSV upload: columns and rows of Java values ({@code null} for empty fields). */
public record CsvTable(List<DatasetColumn> columns, List<Object[]> rows) {

    public CsvTable {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }
}
