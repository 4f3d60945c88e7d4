package org.datasandbox.core.review;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A hand-written store that outlives the desks over it, as a data directory outlives a process. */
final class KeptReviewStore implements ReviewStore {
    final Map<String, ReleaseRequest> requests = new HashMap<>();
    final Map<String, byte[]> outputs = new HashMap<>();

    @Override
    public synchronized List<ReleaseRequest> requests() {
        return new ArrayList<>(requests.values());
    }

    @Override
    public synchronized void save(ReleaseRequest request) {
        requests.put(request.id(), request);
    }

    @Override
    public synchronized void delete(ReleaseRequest request) {
        requests.remove(request.id());
    }

    @Override
    public synchronized void saveOutput(String scenario, String jobId, byte[] arrowIpc) {
        outputs.put(jobId, arrowIpc.clone());
    }

    @Override
    public synchronized Optional<byte[]> output(String scenario, String jobId) {
        return Optional.ofNullable(outputs.get(jobId)).map(byte[]::clone);
    }

    @Override
    public synchronized void deleteOutput(String scenario, String jobId) {
        outputs.remove(jobId);
    }
}
