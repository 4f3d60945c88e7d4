package org.datasandbox.guard.explain;

/** A 1-based line and column in the submitted SQL; {@link #UNKNOWN} when the plan has no source position. */
public record SqlPosition(int line, int column) {
    public static final SqlPosition UNKNOWN = new SqlPosition(0, 0);

    public boolean isKnown() {
        return line > 0;
    }

    @Override
    public String toString() {
        return isKnown() ? "line " + line + ", column " + column : "unknown position";
    }
}
