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

/** Dataset descriptors, one JSON file each under {@code catalog/datasets}, cached in memory. */
public final class DatasetCatalog {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final Map<String, DatasetDescriptor> datasets = new ConcurrentHashMap<>();

    private DatasetCatalog(Path dir) {
        this.dir = dir;
    }

    public static DatasetCatalog open(Path dir) throws IOException {
        Files.createDirectories(dir);
        DatasetCatalog catalog = new DatasetCatalog(dir);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
                DatasetDescriptor descriptor = JSON.readValue(file.toFile(), DatasetDescriptor.class);
                catalog.datasets.put(descriptor.name(), descriptor);
            }
        }
        return catalog;
    }

    public Optional<DatasetDescriptor> get(String name) {
        return Optional.ofNullable(datasets.get(name));
    }

    public boolean contains(String name) {
        return datasets.containsKey(name);
    }

    public List<DatasetDescriptor> list() {
        List<DatasetDescriptor> all = new ArrayList<>(datasets.values());
        all.sort(java.util.Comparator.comparing(DatasetDescriptor::name));
        return all;
    }

    /** Stores a new descriptor atomically. */
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
