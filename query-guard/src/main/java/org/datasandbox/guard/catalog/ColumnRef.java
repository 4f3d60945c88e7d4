package org.datasandbox.guard.catalog;

import java.util.Locale;

/** A base column of a catalog table, in lower case. */
public record ColumnRef(String table, String column) implements Comparable<ColumnRef> {

    public ColumnRef {
        table = table.toLowerCase(Locale.ROOT);
        column = column.toLowerCase(Locale.ROOT);
    }

    @Override
    public int compareTo(ColumnRef o) {
        int t = table.compareTo(o.table);
        return t != 0 ? t : column.compareTo(o.column);
    }

    @Override
    public String toString() {
        return table + "." + column;
    }
}
