package org.datasandbox.api.flight;

import org.apache.arrow.memory.BufferAllocator;
import org.datasandbox.core.identity.Identity;

/** Where the Flight service reads released results from, as their caller may read them. */
@FunctionalInterface
public interface ResultSource {
    /**
     * Opens a released result for reading batch by batch, its buffers from {@code allocator}. Refuses
     * exactly as {@code FetchResult} does: another person's or an unknown job is not found, a job that has
     * released nothing is not ready.
     */
    ReleasedStream open(Identity caller, String jobId, BufferAllocator allocator);
}
