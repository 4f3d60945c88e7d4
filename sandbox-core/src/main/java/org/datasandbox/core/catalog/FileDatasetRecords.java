package org.datasandbox.core.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** Dataset descriptors, one JSON file each under {@code catalog/datasets}, cached in memory (one server). */
public final class FileDatasetRecords implements DatasetRecords {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final Map<String, DatasetDescriptor> datasets = new ConcurrentHashMap<>();

    private FileDatasetRecords(Path dir) {
        this.dir = dir;
    }

    public static FileDatasetRecords open(Path dir) throws IOException {
        Files.createDirectories(dir);
        FileDatasetRecords records = new FileDatasetRecords(dir);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
                DatasetDescriptor descriptor = JSON.readValue(file.toFile(), DatasetDescriptor.class);
                records.datasets.put(descriptor.name(), descriptor);
            }
        }
        return records;
    }

    @Override
    public Optional<DatasetDescriptor> get(String name) {
        return Optional.ofNullable(datasets.get(name));
    }

    @Override
    public List<DatasetDescriptor> all() {
        return new ArrayList<>(datasets.values());
    }

    /** Stores a new descriptor atomically. */
    @Override
    public synchronized void add(DatasetDescriptor descriptor) throws IOException {
        if (datasets.containsKey(descriptor.name())) {
            throw new IllegalStateException("dataset exists: " + descriptor.name());
        }
        Path temp = Files.createTempFile(dir, ".dataset", ".tmp");
        JSON.writeValue(temp.toFile(), descriptor);
        Files.move(temp, dir.resolve(descriptor.name() + ".json"), StandardCopyOption.ATOMIC_MOVE);
        datasets.put(descriptor.name(), descriptor);
    }
}
