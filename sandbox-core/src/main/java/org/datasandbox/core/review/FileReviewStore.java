package org.datasandbox.core.review;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.datasandbox.core.budget.AtomicFiles;
import org.datasandbox.core.release.SealedResults;

/**
 * The desk's requests and held outputs on the data directory. A request is one file per request under
 * {@code review} ({@code <request id>.json}, replaced atomically at each change, as applications are), whose body
 * (the SQL, the disclosure report's keys, the reviewers' reasons) is sealed under its scenario's results key with
 * the request id as associated data: nothing readable rests on disk, a file moved to another request does not
 * open, and the end of the scenario's authorization shreds it with the results. Only the request id and scenario
 * id are in clear, to find the key. A held output is sealed beside the scenario's results
 * ({@link SealedResults#writeHeld}).
 */
public final class FileReviewStore implements ReviewStore {
    private static final Pattern REQUEST_ID = Pattern.compile("rr-[0-9a-f]{1,64}");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    /** What a file holds: the ids in clear, the request sealed. */
    record Envelope(int version, String id, String scenario, String sealed) {
        static final int VERSION = 1;
    }

    private final Path dir;
    private final SealedResults results;
    private final Map<String, ReleaseRequest> loaded = new ConcurrentHashMap<>();

    private FileReviewStore(Path dir, SealedResults results) {
        this.dir = dir;
        this.results = results;
    }

    /**
     * Opens the store and reads every request kept. A file of a scenario whose authorization ended no longer opens
     * (its key is destroyed): it is removed. Any other file that does not parse or open is refused.
     *
     * @param ended whether a scenario's authorization ended
     * @throws ReviewStateException naming the file when one is corrupt, altered or moved
     */
    public static FileReviewStore open(Path dir, SealedResults results, Predicate<String> ended) throws IOException {
        Files.createDirectories(dir);
        FileReviewStore store = new FileReviewStore(dir, results);
        List<Path> files;
        try (Stream<Path> listed = Files.list(dir)) {
            files = listed.sorted().toList();
        }
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (name.endsWith(".json.tmp")) { // a write a crash broke off; the last whole one stays
                Files.deleteIfExists(file);
                continue;
            }
            Envelope envelope = store.envelope(file);
            ReleaseRequest request;
            try {
                request = JSON.readValue(results.open(envelope.scenario(), sealedName(envelope.id()),
                        Base64.getDecoder().decode(envelope.sealed())), ReleaseRequest.class);
            } catch (IOException | IllegalArgumentException e) {
                if (ended.test(envelope.scenario())) {
                    Files.deleteIfExists(file); // shredded with its scenario's results key
                    continue;
                }
                throw store.refused(file, "does not open (altered, or moved from another request)");
            }
            if (!request.id().equals(envelope.id()) || !request.scenario().equals(envelope.scenario())) {
                throw store.refused(file, "does not hold the request its name says");
            }
            store.loaded.put(request.id(), request);
        }
        return store;
    }

    /** The requests as read when the store opened (the desk keeps them from then on). */
    @Override
    public List<ReleaseRequest> requests() {
        return new ArrayList<>(loaded.values());
    }

    @Override
    public void save(ReleaseRequest request) throws IOException {
        byte[] body = JSON.writeValueAsBytes(request);
        String sealed = Base64.getEncoder().encodeToString(results.seal(request.scenario(), sealedName(request.id()), body));
        AtomicFiles.write(file(request.id()), JSON.writeValueAsBytes(
                new Envelope(Envelope.VERSION, request.id(), request.scenario(), sealed)));
    }

    @Override
    public void delete(ReleaseRequest request) throws IOException {
        Files.deleteIfExists(file(request.id()));
        loaded.remove(request.id());
    }

    @Override
    public void saveOutput(String scenario, String jobId, byte[] arrowIpc) throws IOException {
        results.writeHeld(scenario, jobId, arrowIpc);
    }

    @Override
    public Optional<byte[]> output(String scenario, String jobId) throws IOException {
        return results.readHeld(scenario, jobId);
    }

    @Override
    public Optional<java.io.InputStream> openOutput(String scenario, String jobId) throws IOException {
        return results.heldReader(scenario, jobId);
    }

    @Override
    public void deleteOutput(String scenario, String jobId) throws IOException {
        results.deleteHeld(scenario, jobId);
    }

    private Envelope envelope(Path file) {
        String name = file.getFileName().toString();
        Envelope envelope;
        try {
            envelope = JSON.readValue(file.toFile(), Envelope.class);
        } catch (IOException | RuntimeException e) {
            throw refused(file, "is not a kept release request");
        }
        if (envelope.version() != Envelope.VERSION || envelope.id() == null || !REQUEST_ID.matcher(envelope.id()).matches()
                || !name.equals(envelope.id() + ".json") || envelope.scenario() == null || envelope.sealed() == null) {
            throw refused(file, "is not a kept release request");
        }
        return envelope;
    }

    private ReviewStateException refused(Path file, String problem) {
        return new ReviewStateException("The release request file " + file.getFileName() + " in " + dir + " " + problem
                + ": the sandbox does not start without its review state; restore the file from a backup or have an "
                + "auditor look");
    }

    private Path file(String requestId) {
        if (!REQUEST_ID.matcher(requestId).matches()) {
            throw new IllegalArgumentException("not a release request id");
        }
        return dir.resolve(requestId + ".json");
    }

    private static String sealedName(String requestId) {
        return "request/" + requestId;
    }
}
