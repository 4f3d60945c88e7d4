package org.datasandbox.dp.accounting;

/**
 * A spend refused. Messages name the table and figures of the budget, never data. Callers map the
 * reason to the sandbox's error codes (exhausted: resource exhausted; undefined: policy denied).
 */
public final class BudgetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why. */
    public enum Reason {
        /** The charge would take the table past its lifetime cap. Nothing was spent. */
        EXHAUSTED,
        /** The table has no lifetime budget: deny by default. */
        UNDEFINED,
        /** The store could not record the spend durably; nothing may be released. */
        STORAGE
    }

    private final Reason reason;
    private final BudgetKey key;

    public BudgetException(Reason reason, String message) {
        this(reason, message, null);
    }

    private BudgetException(Reason reason, String message, BudgetKey key) {
        super(message, null, false, false);
        this.reason = reason;
        this.key = key;
    }

    public Reason reason() {
        return reason;
    }

    /** The account that refused, when one did (a charge on several accounts says which). */
    public java.util.Optional<BudgetKey> key() {
        return java.util.Optional.ofNullable(key);
    }

    public static BudgetException exhausted(BudgetKey key, Charge charge, BudgetStatus status) {
        return new BudgetException(Reason.EXHAUSTED, String.format(java.util.Locale.ROOT,
                "privacy budget exhausted for %s: lifetime epsilon %s at delta %s, %s spent, %s left for a pure-epsilon"
                        + " release; this charge asks epsilon %s (rho %s, delta %s). Nothing was spent",
                key, fmt(status.lifetime().epsilon()), fmt(status.lifetime().delta()), fmt(status.spentEpsilon()),
                fmt(status.remainingEpsilon()), fmt(charge.loss().epsilon()), fmt(charge.loss().rho()),
                fmt(charge.loss().delta())), key);
    }

    public static BudgetException undefined(BudgetKey key) {
        return new BudgetException(Reason.UNDEFINED, "no lifetime privacy budget is set for " + key
                + ": set one in the scenario before any DP release", key);
    }

    private static String fmt(double value) {
        return String.format(java.util.Locale.ROOT, "%.6g", value);
    }
}
