package org.datasandbox.core.ledger;

import java.time.Duration;
import java.util.Objects;

/**
 * When the ledger signs. Every entry is hash-chained and forced to disk before its append returns; a
 * signature is an expensive step (SM2 about 1 ms), so a batched ledger signs a checkpoint only every
 * {@code everyEntries} entries or when {@code maxDelay} has passed since the last one: that entry carries
 * the signature (covering every entry before it through the chain) and the signed head moves to it. An
 * idle tail is covered by re-signing the head {@code maxDelay} after its first entry, at close, and before a
 * verification the sandbox must prove. Entries after the signed head are reported as chained but unsigned.
 *
 * @param everyEntries sign at least every this many entries; 1 signs every entry (the earlier format)
 * @param maxDelay sign an unsigned tail at the latest this long after its first entry
 * @param syncEachAppend whether each append is forced to disk ({@code fdatasync}) before it returns, so that
 *     not even a power loss loses it; without it an append reaches the operating system before it returns
 *     (a crash of the process loses nothing) and is forced to disk at the next checkpoint (a power loss or
 *     kernel crash loses at most the entries since then, at most {@code maxDelay} of them)
 */
public record CheckpointPolicy(int everyEntries, Duration maxDelay, boolean syncEachAppend) {
    /** Every entry signed and the head replaced after each append. */
    public static final CheckpointPolicy EVERY_ENTRY = new CheckpointPolicy(1, Duration.ZERO);
    /** What the sandbox uses: a checkpoint every 1,000 entries or second, whichever comes first; each append synced. */
    public static final CheckpointPolicy BATCHED = new CheckpointPolicy(1_000, Duration.ofSeconds(1));
    /** As {@link #BATCHED}, but appends are forced to disk only at checkpoints. */
    public static final CheckpointPolicy BATCHED_SYNC_AT_CHECKPOINTS =
            new CheckpointPolicy(1_000, Duration.ofSeconds(1), false);

    /** A policy whose appends are each forced to disk. */
    public CheckpointPolicy(int everyEntries, Duration maxDelay) {
        this(everyEntries, maxDelay, true);
    }

    public CheckpointPolicy {
        if (everyEntries < 1) {
            throw new IllegalArgumentException("a checkpoint comes at least every 1 entry, not " + everyEntries);
        }
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (maxDelay.isNegative() || maxDelay.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("a checkpoint's delay is between 0 and 10 minutes");
        }
    }

    /** Whether this policy signs every entry as it is appended. */
    public boolean signsEveryEntry() {
        return everyEntries == 1;
    }
}
