package org.datasandbox.core.policy;

/** An invalid policy file: where (line, column; 0 when unknown) and why, with what to write instead. */
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

    /** {@code file, line 3, column 5: reason}: the form every policy error is shown in. */
    public String describe(String file) {
        StringBuilder where = new StringBuilder(file);
        if (line > 0) {
            where.append(", line ").append(line);
            if (column > 0) {
                where.append(", column ").append(column);
            }
        }
        return where.append(": ").append(getMessage()).toString();
    }
}
