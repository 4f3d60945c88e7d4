package org.datasandbox.core.review;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where an output about to leave is kept while it is judged: its Arrow IPC stream, opened anew each time it is read
 * (from sealed storage, chunk by chunk), so that the review reads an output of any size without holding it.
 */
@FunctionalInterface
public interface OutputSource {
    InputStream open() throws IOException;

    /** An output already in memory (a small one, tests). */
    static OutputSource of(byte[] arrowIpc) {
        byte[] kept = arrowIpc.clone();
        return () -> new java.io.ByteArrayInputStream(kept);
    }
}
