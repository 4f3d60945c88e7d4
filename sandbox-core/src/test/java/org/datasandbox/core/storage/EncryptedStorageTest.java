package org.datasandbox.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.datasandbox.core.TestSandbox;
import org.datasandbox.core.crypto.CryptoProfile;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.datasandbox.core.catalog.DatasetColumn;
import org.datasandbox.guard.catalog.ColumnType;
import org.junit.jupiter.api.Test;

/** Originals on disk are ciphertext: no plaintext value in any file, unreadable without the dataset key. */
class EncryptedStorageTest {

    @Test
    void write_parquetFiles_containNoPlaintextAndNeedTheKey() throws Exception {
        TestSandbox.get(); // starts the shared Spark session
        CryptoProfile sm = CryptoProfile.of(CryptoProfile.Kind.SM);
        KeyVault vault = KeyVault.open(TestSandbox.dataDir().resolve("test-keys"), sm,
                org.datasandbox.core.custody.MasterKey.inMemory(sm, sm.newSymmetricKey()));
        EncryptedParquet storage = new EncryptedParquet(vault);
        var spark = org.apache.spark.sql.SparkSession.active();
        Dataset<Row> rows = spark.sql("SELECT 'MARKER-' || CAST(id AS STRING) AS secret FROM range(50)");
        Path target = TestSandbox.dataDir().resolve("test-encrypted");
        storage.write(rows, "probe", target);

        try (Stream<Path> files = Files.walk(target)) {
            List<Path> written = files.filter(Files::isRegularFile).toList();
            assertThat(written).anyMatch(f -> f.getFileName().toString().endsWith(".parquet"));
            for (Path file : written) {
                assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).doesNotContain("MARKER-");
            }
        }
        List<String> read = storage.read(spark, "probe", target).collectAsList().stream().map(r -> r.getString(0)).sorted().toList();
        assertThat(read).isEqualTo(IntStream.range(0, 50).mapToObj(i -> "MARKER-" + i).sorted().toList());

        assertThat(causes(() -> spark.read().parquet(target.toUri().toString()).collectAsList()))
                .as("without the crypto factory the footer cannot be read")
                .anyMatch(e -> e.getClass().getName().startsWith("org.apache.parquet.crypto."));
    }

    @Test
    void writeRows_everyTypeAndNull_readsBackThroughSparkAsWritten() throws Exception {
        TestSandbox.get();
        CryptoProfile sm = CryptoProfile.of(CryptoProfile.Kind.SM);
        KeyVault vault = KeyVault.open(TestSandbox.dataDir().resolve("test-keys-rows"), sm,
                org.datasandbox.core.custody.MasterKey.inMemory(sm, sm.newSymmetricKey()));
        EncryptedParquet storage = new EncryptedParquet(vault);
        List<DatasetColumn> columns = List.of(new DatasetColumn("s", ColumnType.STRING),
                new DatasetColumn("i", ColumnType.INTEGER), new DatasetColumn("b", ColumnType.BIGINT),
                new DatasetColumn("d", ColumnType.DOUBLE), new DatasetColumn("day", ColumnType.DATE),
                new DatasetColumn("t", ColumnType.TIMESTAMP), new DatasetColumn("f", ColumnType.BOOLEAN));
        List<Object[]> rows = new ArrayList<>();
        for (int r = 0; r < 200; r++) { // every seventh cell empty, on a different column each row
            Object[] row = {"MARKER-" + r + "-张", r - 100, 10_000_000_000L * r, r / 8.0,
                    java.time.LocalDate.of(1900, 1, 1).plusDays(r * 400L),
                    java.time.Instant.parse("1969-12-31T23:59:59.123456Z").plusSeconds(r * 86_401L), r % 2 == 0};
            row[r % 7] = null;
            rows.add(row);
        }
        Path target = TestSandbox.dataDir().resolve("test-encrypted-rows");
        storage.write(new org.datasandbox.core.catalog.ImportedTable(columns, rows), "rows_probe", target);

        try (Stream<Path> files = Files.walk(target)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).doesNotContain("MARKER-");
            }
        }
        var spark = org.apache.spark.sql.SparkSession.active();
        Dataset<Row> read = storage.read(spark, "rows_probe", target);
        assertThat(read.schema()).isEqualTo(org.datasandbox.core.engine.SparkTypes.schema(columns));
        List<List<Object>> back = read.collectAsList().stream().map(r -> {
            List<Object> values = new ArrayList<>();
            for (int c = 0; c < r.length(); c++) {
                values.add(r.get(c));
            }
            return values;
        }).toList();
        assertThat(back).containsExactlyElementsOf(rows.stream().map(java.util.Arrays::asList).toList());
    }

    @Test
    void write_everyStoredFile_hasAnEncryptedFooterUnderAesGcmV1() throws Exception {
        TestSandbox.get();
        CryptoProfile sm = CryptoProfile.of(CryptoProfile.Kind.SM);
        KeyVault vault = KeyVault.open(TestSandbox.dataDir().resolve("test-keys-algorithm"), sm,
                org.datasandbox.core.custody.MasterKey.inMemory(sm, sm.newSymmetricKey()));
        EncryptedParquet storage = new EncryptedParquet(vault);
        var spark = org.apache.spark.sql.SparkSession.active();
        Path bySpark = TestSandbox.dataDir().resolve("test-algorithm-spark");
        storage.write(spark.sql("SELECT id, CAST(id AS STRING) AS s FROM range(1000)"), "algorithm_spark", bySpark);
        Path byRows = TestSandbox.dataDir().resolve("test-algorithm-rows");
        storage.write(new org.datasandbox.core.catalog.ImportedTable(List.of(new DatasetColumn("s", ColumnType.STRING)),
                List.<Object[]>of(new Object[] {"a"}, new Object[] {"b"})), "algorithm_rows", byRows);

        for (Path dir : List.of(bySpark, byRows)) {
            List<Path> parquet;
            try (Stream<Path> files = Files.walk(dir)) {
                parquet = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).toList();
            }
            assertThat(parquet).isNotEmpty();
            for (Path file : parquet) {
                assertThat(cryptoMetaData(file).getEncryption_algorithm().isSetAES_GCM_V1())
                        .as("every module, data pages included, authenticated by GCM: %s", file).isTrue();
            }
        }
    }

    /**
     * The file's crypto metadata, read from its tail without any key: a file with an encrypted footer ends with
     * the magic {@code PARE} after the length of the crypto metadata and the encrypted footer.
     */
    private static org.apache.parquet.format.FileCryptoMetaData cryptoMetaData(Path file) throws java.io.IOException {
        byte[] bytes = Files.readAllBytes(file);
        assertThat(new String(bytes, bytes.length - 4, 4, StandardCharsets.US_ASCII)).as("encrypted footer").isEqualTo("PARE");
        int footerLength = java.nio.ByteBuffer.wrap(bytes, bytes.length - 8, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
        return org.apache.parquet.format.Util.readFileCryptoMetaData(
                new java.io.ByteArrayInputStream(bytes, bytes.length - 8 - footerLength, footerLength));
    }

    /** The exception a call throws and all its causes; fails when the call succeeds. */
    private static List<Throwable> causes(Runnable call) {
        try {
            call.run();
        } catch (Exception e) { // Spark throws checked exceptions undeclared
            List<Throwable> chain = new ArrayList<>();
            for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
                chain.add(t);
            }
            return chain;
        }
        throw new AssertionError("the encrypted files were read without their key");
    }
}
