package org.datasandbox.core.catalog;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Where dataset descriptors are kept: files under the data directory ({@link FileDatasetRecords}) or a database
 * shared by several servers ({@code metadata.PostgresDatasetRecords}). Reads see every descriptor added, by this
 * server or another sharing the store; a name is added once.
 */
public interface DatasetRecords {

    Optional<DatasetDescriptor> get(String name) throws IOException;

    /** Every descriptor, in no particular order. */
    List<DatasetDescriptor> all() throws IOException;

    /** Adds a new descriptor durably; throws {@link IllegalStateException} when the name is taken. */
    void add(DatasetDescriptor descriptor) throws IOException;
}
