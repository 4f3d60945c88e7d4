package org.datasandbox.core.lifecycle;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * What an open has acquired so far (the data directory's lock, the ledger, the key vault, the metadata store,
 * Spark), to give back in reverse order: when a later step of the open fails, nothing stays held (a refused start
 * leaves the directory free for the next), and on close. The first failure is thrown, later ones are added to it
 * as suppressed. Not thread-safe: one opener uses it.
 */
public final class OpenedResources {
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();

    /** Records a resource just acquired; returns it. */
    public <T extends AutoCloseable> T add(T resource) {
        opened.push(Objects.requireNonNull(resource, "resource"));
        return resource;
    }

    /**
     * Closes everything recorded, newest first, each once, and adds every failure to {@code failure} as
     * suppressed; returns {@code failure}. For an open that failed with {@code failure}.
     */
    public <T extends Throwable> T closeAfter(T failure) {
        Objects.requireNonNull(failure, "failure");
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception | LinkageError e) {
                if (e != failure) {
                    failure.addSuppressed(e);
                }
            }
        }
        return failure;
    }

    /** Closes everything recorded, newest first, each once; throws the first failure, with later ones suppressed. */
    public void close() {
        RuntimeException first = null;
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception | LinkageError e) {
                if (first == null) {
                    first = e instanceof RuntimeException runtime ? runtime
                            : new IllegalStateException("a resource of the sandbox did not close", e);
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
