package org.datasandbox.core.sample;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.datasandbox.sample.release.MaskedRelease;

/**
 * Every masked release a scenario's developers may still hold, per key epoch: the scenario's pseudonym and
 * selection keys are those of its current epoch, and a release that would narrow someone joined with an earlier
 * one moves the scenario to a fresh epoch (fresh keys for all its tables, so that its samples still join each
 * other and nothing joins an older release). Kept on disk, since a restart remakes samples: it holds public facts
 * only (versions, shares, masks, levels).
 */
final class ReleaseHistory {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** @param epoch the scenario's key epoch; {@code tables} its releases under that epoch's keys */
    record Epoch(int epoch, Map<String, List<MaskedRelease>> tables) {
        Epoch {
            Map<String, List<MaskedRelease>> copy = new TreeMap<>();
            tables.forEach((table, releases) -> copy.put(table, List.copyOf(releases)));
            tables = java.util.Collections.unmodifiableMap(copy);
        }
    }

    private final Path file;
    private final Map<String, Epoch> scenarios;

    ReleaseHistory(Path file) {
        this.file = file;
        try {
            this.scenarios = Files.exists(file)
                    ? new TreeMap<>(JSON.readValue(file.toFile(), new TypeReference<Map<String, Epoch>>() { }))
                    : new TreeMap<>();
        } catch (IOException e) {
            throw new UncheckedIOException("the history of masked releases is unreadable", e);
        }
    }

    synchronized int epoch(String scenario) {
        return current(scenario).epoch();
    }

    /** The releases of {@code table} under the scenario's current keys. */
    synchronized List<MaskedRelease> held(String scenario, String table) {
        return current(scenario).tables().getOrDefault(table, List.of());
    }

    synchronized void record(String scenario, String table, MaskedRelease release) {
        Epoch epoch = current(scenario);
        Map<String, List<MaskedRelease>> tables = new TreeMap<>(epoch.tables());
        List<MaskedRelease> releases = new ArrayList<>(tables.getOrDefault(table, List.of()));
        releases.add(release);
        tables.put(table, releases);
        scenarios.put(scenario, new Epoch(epoch.epoch(), tables));
        save();
    }

    /** Moves the scenario to fresh keys: nothing released before can be joined to what comes after. */
    synchronized int rekey(String scenario) {
        int next = current(scenario).epoch() + 1;
        scenarios.put(scenario, new Epoch(next, Map.of()));
        save();
        return next;
    }

    private Epoch current(String scenario) {
        return scenarios.getOrDefault(scenario, new Epoch(0, Map.of()));
    }

    private void save() {
        try {
            Files.createDirectories(file.getParent());
            Path next = file.resolveSibling(file.getFileName() + ".next");
            JSON.writeValue(next.toFile(), scenarios);
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("the history of masked releases could not be stored", e);
        }
    }
}
