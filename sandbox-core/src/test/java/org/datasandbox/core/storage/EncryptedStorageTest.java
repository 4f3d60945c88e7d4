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
