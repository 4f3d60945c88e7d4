package org.datasandbox.core.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The registered datasets, over their records: JSON files under {@code catalog/datasets} by default, or the
 * shared metadata database, read through so that a dataset registered on another server is seen at once.
 */
public final class DatasetCatalog {
    private final DatasetRecords records;

    private DatasetCatalog(DatasetRecords records) {
        this.records = records;
    }

    public static DatasetCatalog open(Path dir) throws IOException {
        return new DatasetCatalog(FileDatasetRecords.open(dir));
    }

    public static DatasetCatalog over(DatasetRecords records) {
        return new DatasetCatalog(Objects.requireNonNull(records, "records"));
    }

    public Optional<DatasetDescriptor> get(String name) {
        try {
            return records.get(name);
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    public boolean contains(String name) {
        return get(name).isPresent();
    }

    public List<DatasetDescriptor> list() {
        List<DatasetDescriptor> all;
        try {
            all = new ArrayList<>(records.all());
        } catch (IOException e) {
            throw unreadable(e);
        }
        all.sort(Comparator.comparing(DatasetDescriptor::name));
        return all;
    }

    /** Stores a new descriptor atomically. */
    public synchronized void add(DatasetDescriptor descriptor) throws IOException {
        records.add(descriptor);
    }

    private static UncheckedIOException unreadable(IOException e) {
        return new UncheckedIOException("the dataset catalog cannot be read", e);
    }
}
