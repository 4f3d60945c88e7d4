package org.datasandbox.core.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.datasandbox.core.ErrorCode;
import org.datasandbox.core.SandboxException;
import org.datasandbox.core.catalog.RowSource;

/**
 * The registered original tables: each stored as encrypted Parquet under its own data key and exposed
 * to the originals' Spark session under its name. Nothing is left behind when a write fails.
 *
 * <p>A table with a privacy unit is stored <b>clustered and sorted by the unit</b>: bucketed by it into a fixed
 * number of files (one per bucket, each sorted), and exposed as a catalog table that declares the buckets, so a
 * query's per-unit work needs no shuffle and a DP release can bound each unit in one streaming pass. The layout
 * is recorded in a {@value #LAYOUT} file beside the Parquet files (Spark skips names starting with "_"); a table
 * without it (no unit, or stored by an older version) is exposed as a view of its files, as before.
 *
 * <p>Every stored table records the files it was written as ({@link StoredFiles}): a read of the originals
 * {@link #verify verifies} them first and fails closed on any missing, resized or added file, where Spark would read
 * the directory as it finds it (fewer rows, or others).
 */
public final class OriginalTables {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OriginalTables.class);
    static final String LAYOUT = "_unit_layout";
    /** The details' reason of every refusal to read tampered originals (jobs, samples, fits, drafts). */
    public static final String STORED_FILES_MISMATCH = "STORED_FILES_MISMATCH";

    private final SparkSession originals;
    private final EncryptedParquet storage;
    private final Path dir;
    private final int buckets;
    private final String database;

    public OriginalTables(SparkSession originals, EncryptedParquet storage, Path dir) {
        this(originals, storage, dir, Integer.parseInt(originals.conf().get("spark.sql.shuffle.partitions")));
    }

    /** @param buckets the bucket count of tables stored by their unit (the same for all, so joins on it keep it) */
    public OriginalTables(SparkSession originals, EncryptedParquet storage, Path dir, int buckets) {
        if (buckets < 1) {
            throw new IllegalArgumentException("buckets must be >= 1. Provided value: " + buckets);
        }
        this.originals = originals;
        this.storage = storage;
        this.dir = dir;
        this.buckets = buckets;
        // Spark's catalog is shared by every session of the JVM (the samples' too, and other sandboxes'): the
        // originals' tables live in a database of this data directory's own, the originals' session's current one;
        // no other session resolves an unqualified name there
        this.database = "sandbox_originals_" + java.util.HexFormat.of().formatHex(sha256(dir.toAbsolutePath()
                .normalize().toString())).substring(0, 16);
        originals.sql("CREATE DATABASE IF NOT EXISTS " + database);
        originals.catalog().setCurrentDatabase(database);
        // keep a bucketed scan (its one partition per bucket) even where no operator asks for it: the streaming
        // DP bounding needs the unit's partitioning without asking Spark for it
        originals.conf().set("spark.sql.sources.bucketing.autoBucketedScan.enabled", "false");
    }

    /** Stores an imported table, row by row; the view exists once this returns. */
    public void store(String name, RowSource table) throws IOException {
        store(name, table, Optional.empty());
    }

    /**
     * Stores an imported table; with a privacy unit column, clustered and sorted by it. The table is queryable once
     * this returns.
     */
    public void store(String name, RowSource table, Optional<String> unit) throws IOException {
        try {
            storage.write(table, keyName(name), location(name));
            if (unit.isPresent()) {
                clusterStored(name, unit.get());
            } else {
                StoredFiles.record(location(name));
            }
        } catch (IOException | RuntimeException e) {
            delete(name);
            throw new IOException("the table could not be stored", e);
        }
        expose(name);
    }

    /**
     * Stores a table already registered clustered by {@code unit} (a policy applied after its data), unless it is
     * so already; the table is queryable under its name again once this returns. A query running on the old files
     * meanwhile may fail (their directory is replaced), never read a mix.
     */
    public void cluster(String name, String unit) throws IOException {
        Optional<Layout> current = layout(name);
        if (current.isPresent() && current.get().unit().equalsIgnoreCase(unit) && current.get().buckets() == buckets) {
            return;
        }
        clusterStored(name, unit);
        expose(name);
    }

    /** Makes a stored table queryable again, as on opening the sandbox. */
    public void expose(String name) {
        recordIfUnrecorded(name);
        Optional<Layout> layout = layout(name);
        if (layout.isEmpty()) {
            storage.read(originals, keyName(name), location(name)).createOrReplaceTempView(name);
            return;
        }
        originals.catalog().dropTempView(name);
        originals.sql("DROP TABLE IF EXISTS " + table(name));
        Map<String, String> options = new java.util.TreeMap<>(EncryptedParquet.readOptions(keyName(name)));
        options.put("path", location(name).toUri().toString());
        String declared = options.entrySet().stream()
                .map(e -> literal(e.getKey()) + " " + literal(e.getValue())).collect(Collectors.joining(", "));
        Dataset<Row> files = storage.read(originals, keyName(name), location(name));
        String columns = java.util.Arrays.stream(files.schema().fields())
                .map(f -> quote(f.name()) + " " + f.dataType().sql()).collect(Collectors.joining(", "));
        originals.sql("CREATE TABLE " + table(name) + " (" + columns + ") USING parquet OPTIONS (" + declared
                + ") CLUSTERED BY (" + quote(layout.get().unit()) + ") SORTED BY (" + quote(layout.get().unit())
                + ") INTO " + layout.get().buckets() + " BUCKETS");
    }

    /**
     * Checks that a stored table's directory holds exactly the files recorded when it was written, each of its
     * recorded size: called before (and after) a query reads the table, so that a deleted, truncated or added file
     * fails the query instead of changing its answer.
     *
     * @throws StoredFiles.Mismatch naming the kind of difference, never a file or a value
     */
    public void verify(String name) {
        StoredFiles.verify(location(name.toLowerCase(Locale.ROOT)));
    }

    /**
     * The one read of a stored table's rows, for every reader (jobs check through {@link #requireStored}, samples,
     * model fits, policy drafts and checks read here): its files are checked against their record first, so that no
     * reader can forget the check. A reader whose answer leaves checks again once it has read
     * ({@link #requireStored}): Spark lists a clustered table's files when the read runs, not here.
     *
     * @throws SandboxException {@code EXECUTION_FAILED}, reason {@code STORED_FILES_MISMATCH}: see {@link #requireStored}
     */
    public Dataset<Row> read(String name) {
        requireStored(name);
        return originals.table(name);
    }

    /** A stored table's columns and types, from Spark's catalog: no row is read, so no file is checked. */
    public StructType schema(String name) {
        return originals.table(name).schema();
    }

    /**
     * Fails closed when a stored table's directory is not exactly the files the sandbox wrote: the one error every
     * reader of the originals gives, naming the table, never a file, a size or a value. The kind of difference goes
     * to the operator's log only.
     *
     * @throws SandboxException {@code EXECUTION_FAILED} with details {@code reason=STORED_FILES_MISMATCH} and the table
     */
    public void requireStored(String name) {
        try {
            verify(name);
        } catch (StoredFiles.Mismatch e) {
            LOG.error("table {}: its stored originals do not match their record: {}", name, e.difference());
            throw new SandboxException(ErrorCode.EXECUTION_FAILED, "The stored originals of table '" + name
                    + "' are not the files the sandbox wrote: nothing is read from them until an admin restores them",
                    Map.of("reason", STORED_FILES_MISMATCH, "table", name));
        }
    }

    /** A table stored before its files were recorded (an older version) is recorded as it is found when opened. */
    private void recordIfUnrecorded(String name) {
        try {
            if (StoredFiles.recorded(location(name)).isEmpty()) {
                StoredFiles.record(location(name));
                LOG.warn("table {}: stored without a record of its files; recorded as found on opening", name);
            }
        } catch (IOException e) {
            // left unrecorded: every read of it fails closed until it is stored again
            LOG.warn("table {}: its files could not be recorded ({})", name, e.getClass().getName());
        }
    }

    /** The unit and bucket count a stored table is clustered by, if it is. */
    public Optional<Layout> layout(String name) {
        Path file = location(name).resolve(LAYOUT);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            String[] lines = Files.readString(file, StandardCharsets.UTF_8).split("\n");
            return Optional.of(new Layout(lines[0], Integer.parseInt(lines[1].trim())));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("the layout of a stored table cannot be read", e);
        }
    }

    /** A table's clustering: bucketed and sorted by {@code unit} into {@code buckets} files. */
    public record Layout(String unit, int buckets) {
    }

    /** Whether the table's files are on this data directory (a table registered on another server is not). */
    public boolean isStored(String name) {
        return java.nio.file.Files.isDirectory(location(name));
    }

    /** Removes a table's view and files, best effort: the catalog never points at a partial table. */
    public void delete(String name) {
        originals.catalog().dropTempView(name);
        try {
            originals.sql("DROP TABLE IF EXISTS " + table(name)); // external: its files are deleted below
        } catch (RuntimeException e) {
            // best effort, see above
        }
        try {
            EncryptedParquet.deleteRecursively(location(name));
        } catch (IOException e) {
            // best effort, see above
        }
    }

    /** Rewrites the stored files bucketed and sorted by the unit (its column name as the files spell it). */
    private void clusterStored(String name, String unit) throws IOException {
        Dataset<Row> plain = storage.read(originals, keyName(name), location(name));
        String column = java.util.Arrays.stream(plain.columns()).filter(c -> c.equalsIgnoreCase(unit)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the privacy unit is not a column of the table"));
        Path clustered = dir.resolve("." + name + ".clustered");
        storage.writeBucketed(plain, keyName(name), clustered, column, buckets,
                quote(database) + "." + quote("__sandbox_scratch_" + name.toLowerCase(Locale.ROOT)));
        Files.writeString(clustered.resolve(LAYOUT), column + "\n" + buckets + "\n", StandardCharsets.UTF_8);
        StoredFiles.record(clustered);
        Path old = dir.resolve("." + name + ".unclustered");
        EncryptedParquet.deleteRecursively(old);
        Files.move(location(name), old, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Files.move(clustered, location(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        EncryptedParquet.deleteRecursively(old);
    }

    private static byte[] sha256(String text) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String table(String name) {
        return quote(database) + "." + quote(name);
    }

    private Path location(String name) {
        return dir.resolve(name);
    }

    private static String keyName(String dataset) {
        return "dataset_" + dataset;
    }

    private static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    private static String literal(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
