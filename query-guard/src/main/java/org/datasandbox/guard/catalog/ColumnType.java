package org.datasandbox.guard.catalog;

/** Column types the sandbox stores; the guard maps them to SQL types, the runtime to Spark types. */
public enum ColumnType {
    STRING,
    INTEGER,
    BIGINT,
    DOUBLE,
    DATE,
    TIMESTAMP,
    BOOLEAN;

    public boolean isNumeric() {
        return this == INTEGER || this == BIGINT || this == DOUBLE;
    }
}
