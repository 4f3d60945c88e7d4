package org.datasandbox.guard.catalog;

/** What a column means for privacy; decides what may be grouped, aggregated, filtered or output. */
public enum ColumnRole {
    /** Identifies the person (or other unit) whose privacy is protected; counted for k. */
    PRIVACY_UNIT,
    /** Names a person directly (ID number, name, phone, address): never leaves, never grouped or filtered. */
    DIRECT_IDENTIFIER,
    /** Identifies in combination (birth date, age): only coarse buckets are dimensions. */
    QUASI_IDENTIFIER,
    /** Sensitive but not identifying (diagnosis): may be grouped by, never output row by row. */
    SENSITIVE_ATTRIBUTE,
    /** Safe to group by. */
    DIMENSION,
    /** A number to aggregate, with clamping bounds. */
    MEASURE;

    public boolean isIdentifier() {
        return this == PRIVACY_UNIT || this == DIRECT_IDENTIFIER;
    }
}
