package org.datasandbox.core.ledger;

import java.time.Duration;
import java.util.Map;

/**
 * Counts calls refused before anyone could be identified and writes them to the ledger in batches: the
 * first at once, then at most one entry per period with the count, so the evidence stays complete while
 * an anonymous flood cannot grow the ledger faster than one entry per period.
 */
public final class RefusedCalls {
    private final EvidenceLedger ledger;
    private final long periodNanos;
    private long pending;
    private String lastMethod = "";
    private long lastWrite = Long.MIN_VALUE;

    public RefusedCalls(EvidenceLedger ledger, Duration period) {
        this.ledger = ledger;
        this.periodNanos = period.toNanos();
    }

    public synchronized void record(String method) {
        pending++;
        lastMethod = method;
        long now = System.nanoTime();
        if (lastWrite == Long.MIN_VALUE || now - lastWrite >= periodNanos) {
            write(now);
        }
    }

    public synchronized void flush() {
        if (pending > 0) {
            write(System.nanoTime());
        }
    }

    private void write(long now) {
        ledger.appendUnauthenticated("rpc", lastMethod, Map.of("status", "UNAUTHENTICATED", "calls", Long.toString(pending)));
        pending = 0;
        lastWrite = now;
    }
}
