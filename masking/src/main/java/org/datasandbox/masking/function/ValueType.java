package org.datasandbox.masking.function;

/** The value types masking functions accept and produce; sample generators map engine types onto these. */
public enum ValueType {
    STRING,
    INTEGER,
    LONG,
    DOUBLE,
    DATE,
    /** An instant; {@code keep}, {@code nullify} and {@code date_truncate} apply to it. */
    TIMESTAMP,
    BOOLEAN;

    public boolean isNumeric() {
        return this == INTEGER || this == LONG || this == DOUBLE;
    }
}
