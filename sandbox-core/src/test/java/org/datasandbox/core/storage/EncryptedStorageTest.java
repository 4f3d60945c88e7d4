package org.datasandbox.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.TestSandbox;
import org.datasandbox.core.crypto.CryptoProfile;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Originals on disk are ciphertext: no plaintext value in any file, unreadable without the dataset key. */
class EncryptedStorageTest {

    @Test
    void write_parquetFiles_containNoPlaintextAndNeedTheKey() throws Exception {
        Sandbox sandbox = TestSandbox.get();
        KeyVault vault = KeyVault.open(TestSandbox.dataDir().resolve("test-keys"), CryptoProfile.of(CryptoProfile.Kind.SM));
        EncryptedParquet storage = new EncryptedParquet(vault);
        var spark = org.apache.spark.sql.SparkSession.active();
        Dataset<Row> rows = spark.sql("SELECT 'MARKER-' || CAST(id AS STRING) AS secret FROM range(50)");
        Path target = TestSandbox.dataDir().resolve("test-encrypted");
        storage.write(rows, "probe", target);

        try (Stream<Path> files = Files.walk(target)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).doesNotContain("MARKER-");
            }
        }
        assertThat(storage.read(spark, "probe", target).count()).isEqualTo(50);
        assertThatThrownBy(() -> spark.read().parquet(target.toUri().toString()).collectAsList())
                .as("without the crypto factory the files cannot be read").isInstanceOf(Exception.class);
        assertThat(sandbox).isNotNull();
    }
}
