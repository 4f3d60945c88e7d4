package org.datasandbox.core.policy;

/** An invalid policy file: where (line, column; 0 when unknown) and why. */
public final class PolicyException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;

    public PolicyException(int line, int column, String reason) {
        super(reason);
        this.line = line;
        this.column = column;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
