package org.datasandbox.core.storage;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.datasandbox.core.catalog.RowSource;

/**
 * The registered original tables: each stored as encrypted Parquet under its own data key and exposed
 * to the originals' Spark session as a view of its name. Nothing is left behind when a write fails.
 */
public final class OriginalTables {
    private final SparkSession originals;
    private final EncryptedParquet storage;
    private final Path dir;

    public OriginalTables(SparkSession originals, EncryptedParquet storage, Path dir) {
        this.originals = originals;
        this.storage = storage;
        this.dir = dir;
    }

    /** Stores an imported table, row by row; the view exists once this returns. */
    public void store(String name, RowSource table) throws IOException {
        try {
            storage.write(table, keyName(name), location(name));
        } catch (IOException | RuntimeException e) {
            delete(name);
            throw new IOException("the table could not be stored", e);
        }
        expose(name);
    }

    /** Makes a stored table queryable again, as on opening the sandbox. */
    public void expose(String name) {
        storage.read(originals, keyName(name), location(name)).createOrReplaceTempView(name);
    }

    /** Whether the table's files are on this data directory (a table registered on another server is not). */
    public boolean isStored(String name) {
        return java.nio.file.Files.isDirectory(location(name));
    }

    /** Removes a table's view and files, best effort: the catalog never points at a partial table. */
    public void delete(String name) {
        originals.catalog().dropTempView(name);
        try {
            EncryptedParquet.deleteRecursively(location(name));
        } catch (IOException e) {
            // best effort, see above
        }
    }

    private Path location(String name) {
        return dir.resolve(name);
    }

    private static String keyName(String dataset) {
        return "dataset_" + dataset;
    }
}
