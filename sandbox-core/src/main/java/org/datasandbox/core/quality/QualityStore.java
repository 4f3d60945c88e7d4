package org.datasandbox.core.quality;

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

/** Every data-quality issue, one JSON file each under {@code quality}, rewritten atomically when answered. */
public final class QualityStore {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final Path dir;
    private final Map<String, QualityIssue> issues = new ConcurrentHashMap<>();

    private QualityStore(Path dir) {
        this.dir = dir;
    }

    public static QualityStore open(Path dir) throws IOException {
        Files.createDirectories(dir);
        QualityStore store = new QualityStore(dir);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
                QualityIssue issue = JSON.readValue(file.toFile(), QualityIssue.class);
                store.issues.put(issue.id(), issue);
            }
        }
        return store;
    }

    public Optional<QualityIssue> get(String id) {
        return Optional.ofNullable(id == null ? null : issues.get(id));
    }

    /** All issues, oldest first. */
    public List<QualityIssue> list() {
        return issues.values().stream().sorted(Comparator.comparing(QualityIssue::filed)
                .thenComparing(QualityIssue::id)).toList();
    }

    public synchronized void put(QualityIssue issue) throws IOException {
        AtomicFiles.write(dir.resolve(issue.id() + ".json"), JSON.writeValueAsBytes(issue));
        issues.put(issue.id(), issue);
    }
}
