package org.datasandbox.core.review;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Where the desk keeps its requests (with their votes) and the outputs they hold, so that a restart loses neither:
 * {@link FileReviewStore} for a sandbox, {@link #inMemory()} for a throw-away desk. Every method is durable when it
 * returns.
 */
public interface ReviewStore {
    /** The requests kept, as last saved (the desk reads them once, when it starts). */
    List<ReleaseRequest> requests();

    void save(ReleaseRequest request) throws IOException;

    /** Forgets a request for good (its scenario's authorization ended). */
    void delete(ReleaseRequest request) throws IOException;

    void saveOutput(String scenario, String jobId, byte[] arrowIpc) throws IOException;

    /** A held output; empty when none is kept. */
    Optional<byte[]> output(String scenario, String jobId) throws IOException;

    void deleteOutput(String scenario, String jobId) throws IOException;

    /** A held output opened for reading as a stream (never whole in memory where the store can help it). */
    default Optional<java.io.InputStream> openOutput(String scenario, String jobId) throws IOException {
        return output(scenario, jobId).map(java.io.ByteArrayInputStream::new);
    }

    /** A store that keeps nothing beyond the process: for desks that never outlive it. */
    static ReviewStore inMemory() {
        return new ReviewStore() {
            private final java.util.Map<String, byte[]> outputs = new java.util.concurrent.ConcurrentHashMap<>();

            @Override
            public List<ReleaseRequest> requests() {
                return List.of();
            }

            @Override
            public void save(ReleaseRequest request) {
                // the desk holds it
            }

            @Override
            public void delete(ReleaseRequest request) {
                // the desk forgets it
            }

            @Override
            public void saveOutput(String scenario, String jobId, byte[] arrowIpc) {
                outputs.put(jobId, arrowIpc.clone());
            }

            @Override
            public Optional<byte[]> output(String scenario, String jobId) {
                return Optional.ofNullable(outputs.get(jobId)).map(byte[]::clone);
            }

            @Override
            public void deleteOutput(String scenario, String jobId) {
                outputs.remove(jobId);
            }
        };
    }
}
