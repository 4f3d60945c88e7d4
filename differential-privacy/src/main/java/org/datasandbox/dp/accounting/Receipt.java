package org.datasandbox.dp.accounting;

import java.time.Instant;
import java.util.Objects;

/**
 * Proof that a charge was taken before its release: its sequence number in the table's account, when,
 * and the status right after. The caller records it in the evidence ledger with the release.
 */
public record Receipt(BudgetKey key, long sequence, Charge charge, Instant at, BudgetStatus after) {
    public Receipt {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(charge, "charge");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(after, "after");
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be > 0. Provided value: " + sequence);
        }
    }
}
