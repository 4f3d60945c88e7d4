package org.datasandbox.core.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.crypto.FileEncryptionProperties;
import org.apache.parquet.crypto.keytools.KeyToolkit;
import org.apache.parquet.crypto.keytools.PropertiesDrivenCryptoFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.datasandbox.core.catalog.RowSource;

/**
 * Writes and reads Parquet under Parquet modular encryption: footer and every column encrypted
 * (AES-GCM, the only ciphers the Parquet format defines), their keys wrapped by the dataset key. Writes go
 * to a temporary directory that is renamed into place, so a failed write leaves nothing behind.
 */
public final class EncryptedParquet {
    private final KeyVault vault;

    public EncryptedParquet(KeyVault vault) {
        this.vault = vault;
    }

    public void write(Dataset<Row> data, String keyName, Path target) throws IOException {
        vault.createKey(keyName);
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path staging = parent.resolve("." + target.getFileName() + ".staging");
        deleteRecursively(staging);
        try {
            data.write().mode(SaveMode.ErrorIfExists)
                    .options(options(keyName))
                    .option(PropertiesDrivenCryptoFactory.UNIFORM_KEY_PROPERTY_NAME, vault.keyId(keyName))
                    .parquet(staging.toUri().toString());
            deleteRecursively(target);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (Exception e) { // also Spark's undeclared checked exceptions: never leave a partial write
            deleteRecursively(staging);
            throw e;
        }
    }

    /**
     * Writes a table row by row with parquet-mr, one row group of at most {@link #ROW_GROUP_BYTES} in
     * memory at a time, under the same encryption as Spark's writes (Spark reads it back like its own).
     */
    public void write(RowSource table, String keyName, Path target) throws IOException {
        vault.createKey(keyName);
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path staging = parent.resolve("." + target.getFileName() + ".staging");
        deleteRecursively(staging);
        try {
            Files.createDirectories(staging);
            Path file = staging.resolve("part-00000.parquet");
            Configuration conf = new Configuration(false);
            options(keyName).forEach(conf::set);
            conf.set(PropertiesDrivenCryptoFactory.UNIFORM_KEY_PROPERTY_NAME, vault.keyId(keyName));
            FileEncryptionProperties encryption = new PropertiesDrivenCryptoFactory()
                    .getFileEncryptionProperties(conf, new org.apache.hadoop.fs.Path(file.toUri()), null);
            try (ParquetWriter<Object[]> writer = new RowWriterBuilder(new LocalOutputFile(file), table)
                    .withConf(conf).withEncryption(encryption).withRowGroupSize(ROW_GROUP_BYTES)
                    .withCompressionCodec(CompressionCodecName.SNAPPY).build()) {
                table.forEachRow(writer::write);
            }
            deleteRecursively(target);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            deleteRecursively(staging);
            throw e;
        }
    }

    /** Bounds the memory of a streaming write: parquet-mr buffers one row group before it writes it out. */
    static final long ROW_GROUP_BYTES = 32L * 1024 * 1024;

    private static final class RowWriterBuilder extends ParquetWriter.Builder<Object[], RowWriterBuilder> {
        private final RowSource table;

        RowWriterBuilder(LocalOutputFile file, RowSource table) {
            super(file);
            this.table = table;
        }

        @Override
        protected RowWriterBuilder self() {
            return this;
        }

        @Override
        protected WriteSupport<Object[]> getWriteSupport(Configuration conf) {
            return new RowWriteSupport(table.columns());
        }
    }

    public Dataset<Row> read(SparkSession spark, String keyName, Path source) {
        return spark.read().options(options(keyName)).parquet(source.toUri().toString());
    }

    private static Map<String, String> options(String keyName) {
        return Map.of(
                "parquet.crypto.factory.class", PropertiesDrivenCryptoFactory.class.getName(),
                KeyToolkit.KMS_CLIENT_CLASS_PROPERTY_NAME, SandboxKmsClient.class.getName(),
                // Keys are cached by Parquet per access token: one token per dataset keeps them apart.
                KeyToolkit.KEY_ACCESS_TOKEN_PROPERTY_NAME, "dataset-" + keyName);
    }

    /**
     * Writes a table bucketed and sorted by {@code unit} into {@code buckets} files (one per bucket: the rows are
     * hash-partitioned by the unit first), under the same encryption as {@link #write(Dataset, String, Path)}.
     * Spark writes buckets only through a catalog table: {@code scratchTable}, external, is dropped again (its
     * files stay). Staged and renamed into place like every write.
     */
    public void writeBucketed(Dataset<Row> data, String keyName, Path target, String unit, int buckets,
                              String scratchTable) throws IOException {
        vault.createKey(keyName);
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path staging = parent.resolve("." + target.getFileName() + ".staging");
        deleteRecursively(staging);
        SparkSession spark = data.sparkSession();
        try {
            data.repartition(buckets, data.col(unit)).write().mode(SaveMode.ErrorIfExists).format("parquet")
                    .options(options(keyName))
                    .option(PropertiesDrivenCryptoFactory.UNIFORM_KEY_PROPERTY_NAME, vault.keyId(keyName))
                    .option("path", staging.toUri().toString())
                    .bucketBy(buckets, unit).sortBy(unit).saveAsTable(scratchTable);
            spark.sql("DROP TABLE IF EXISTS " + scratchTable);
            deleteRecursively(target);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (Exception e) { // also Spark's undeclared checked exceptions: never leave a partial write
            spark.sql("DROP TABLE IF EXISTS " + scratchTable);
            deleteRecursively(staging);
            throw e;
        }
    }

    /** The options a reader of a dataset's files needs (a catalog table's OPTIONS), no key material. */
    public static Map<String, String> readOptions(String keyName) {
        return options(keyName);
    }

    public static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
