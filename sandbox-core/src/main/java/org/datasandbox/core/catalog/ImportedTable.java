package org.datasandbox.core.catalog;

import java.util.ArrayList;
import java.util.List;

/** A parsed, typed upload (CSV or Parquet) held in memory: columns and rows of Java values ({@code null} for empty fields). */
public record ImportedTable(List<DatasetColumn> columns, List<Object[]> rows) implements RowSource {

    public ImportedTable {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }

    /** Reads a whole source into memory: for small tables (tests, oracles) only. */
    public static ImportedTable of(RowSource source) throws java.io.IOException {
        List<Object[]> rows = new ArrayList<>();
        source.forEachRow(row -> rows.add(row.clone()));
        return new ImportedTable(source.columns(), rows);
    }

    @Override
    public long rowCount() {
        return rows.size();
    }

    @Override
    public void forEachRow(RowSink sink) throws java.io.IOException {
        for (Object[] row : rows) {
            sink.accept(row);
        }
    }
}
