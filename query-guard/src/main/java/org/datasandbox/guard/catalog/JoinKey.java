package org.datasandbox.guard.catalog;

/** A declared join: {@code table.column} may be joined with {@code otherTable.otherColumn} by equality. */
public record JoinKey(String table, String column, String otherTable, String otherColumn) {

    /** True when this key allows joining the two columns, in either direction. */
    public boolean connects(ColumnRef a, ColumnRef b) {
        return (matches(a, table, column) && matches(b, otherTable, otherColumn))
                || (matches(b, table, column) && matches(a, otherTable, otherColumn));
    }

    private static boolean matches(ColumnRef ref, String t, String c) {
        return ref.table().equalsIgnoreCase(t) && ref.column().equalsIgnoreCase(c);
    }
}
