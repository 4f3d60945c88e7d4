package org.datasandbox.dp.accounting;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Released noisy answers, so that asking the same query again returns the same answer instead of
 * spending again: averaging repeated answers would otherwise cancel the noise. Answers are opaque
 * strings (the release's serialized result), already public once released.
 */
public interface AnswerCache {

    /** The answer released for this key, if any. */
    Optional<String> get(AnswerKey key);

    /**
     * The answer for this key: the cached one, or {@code release.get()} stored once. Callers with the same
     * key wait for the first, so that a burst of identical queries spends once. If the release throws
     * (budget refused, say), nothing is stored and the exception passes through.
     */
    String releaseOnce(AnswerKey key, Supplier<String> release);
}
