package org.datasandbox.core.application;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.datasandbox.core.budget.AtomicFiles;

/** Every application, one JSON file each under {@code applications}, rewritten atomically on its decision. */
public final class ApplicationStore {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final Path dir;
    private final Map<String, ScenarioApplication> applications = new ConcurrentHashMap<>();

    private ApplicationStore(Path dir) {
        this.dir = dir;
    }

    public static ApplicationStore open(Path dir) throws IOException {
        Files.createDirectories(dir);
        ApplicationStore store = new ApplicationStore(dir);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
                ScenarioApplication application = JSON.readValue(file.toFile(), ScenarioApplication.class);
                store.applications.put(application.id(), application);
            }
        }
        return store;
    }

    public Optional<ScenarioApplication> get(String id) {
        return Optional.ofNullable(id == null ? null : applications.get(id));
    }

    /** All applications, oldest first. */
    public List<ScenarioApplication> list() {
        return applications.values().stream().sorted(Comparator.comparing(ScenarioApplication::filed)
                .thenComparing(ScenarioApplication::id)).toList();
    }

    public synchronized void put(ScenarioApplication application) throws IOException {
        AtomicFiles.write(dir.resolve(application.id() + ".json"), JSON.writeValueAsBytes(application));
        applications.put(application.id(), application);
    }
}
