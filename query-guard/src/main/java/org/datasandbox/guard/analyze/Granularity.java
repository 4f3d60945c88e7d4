package org.datasandbox.guard.analyze;

/** What one row of a plan node stands for. */
public enum Granularity {
    /** One row per input record: it can describe a single person. */
    ROWS,
    /** One row per group of an aggregate over records: released only with k privacy units. */
    GROUPS,
    /** Rows made of literals only: they carry no data. */
    CONSTANT;

    static Granularity combine(Granularity a, Granularity b) {
        if (a == ROWS || b == ROWS) {
            return ROWS;
        }
        return a == GROUPS || b == GROUPS ? GROUPS : CONSTANT;
    }
}
