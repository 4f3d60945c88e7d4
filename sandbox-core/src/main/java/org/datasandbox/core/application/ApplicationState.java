package org.datasandbox.core.application;

/** Where an application stands: waiting for an admin, or decided once and for all. */
public enum ApplicationState {
    PENDING,
    /** Approved as asked: its scenario is in force. */
    APPROVED,
    /** Approved with less than asked (see {@link Narrowing}): its scenario is in force. */
    NARROWED,
    REJECTED;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
