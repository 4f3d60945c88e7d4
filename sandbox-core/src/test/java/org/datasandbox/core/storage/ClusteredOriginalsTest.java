package org.datasandbox.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.datasandbox.core.TestSandbox;
import org.datasandbox.core.catalog.DatasetColumn;
import org.datasandbox.core.catalog.ImportedTable;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.guard.catalog.ColumnType;
import org.junit.jupiter.api.Test;

/**
 * Originals with a privacy unit are stored clustered and sorted by it: still ciphertext on disk, one file per
 * bucket, exposed as a bucketed catalog table whose scan is hash-partitioned by the unit with no exchange, found
 * again on reopening, invisible to other sessions; a table stored without the layout (no unit, or by an older
 * version) is a view of its files, as before; both read back every row.
 */
class ClusteredOriginalsTest {
    private static final int BUCKETS = 4;

    @Test
    void store_withUnit_isEncryptedBucketedAndFoundAgainOnReopen() throws Exception {
        TestSandbox.get();
        Path dir = Files.createTempDirectory(TestSandbox.dataDir(), "clustered");
        EncryptedParquet storage = storage(dir);
        SparkSession session = SparkSession.active().newSession();
        new OriginalTables(session, storage, dir.resolve("originals"), BUCKETS).store("visits", visits(), Optional.of("PID"));

        try (Stream<Path> files = Files.walk(dir.resolve("originals").resolve("visits"))) {
            List<Path> written = files.filter(Files::isRegularFile).toList();
            assertThat(written.stream().filter(f -> f.getFileName().toString().endsWith(".parquet"))).hasSize(BUCKETS);
            for (Path file : written) {
                assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).doesNotContain("MARKER-");
            }
        }
        assertRowsAndLayout(session);

        // reopening: a fresh session, the same directory
        SparkSession reopened = SparkSession.active().newSession();
        OriginalTables again = new OriginalTables(reopened, storage, dir.resolve("originals"), BUCKETS);
        assertThat(again.layout("visits")).contains(new OriginalTables.Layout("pid", BUCKETS));
        again.expose("visits");
        assertRowsAndLayout(reopened);
        // another session of the JVM (the samples', say) does not resolve the originals' table
        assertThat(SparkSession.active().newSession().catalog().tableExists("visits")).isFalse();
    }

    @Test
    void store_withoutUnit_isAViewOfOneFileAsBefore() throws Exception {
        TestSandbox.get();
        Path dir = Files.createTempDirectory(TestSandbox.dataDir(), "plain");
        SparkSession session = SparkSession.active().newSession();
        OriginalTables tables = new OriginalTables(session, storage(dir), dir.resolve("originals"), BUCKETS);
        tables.store("visits", visits(), Optional.empty());

        assertThat(tables.layout("visits")).isEmpty();
        assertThat(session.catalog().getTable("visits").isTemporary()).isTrue();
        assertThat(session.sql("SELECT COUNT(*) FROM visits").first().getLong(0)).isEqualTo(300);
        // clustering it later (a policy applied after the data) rewrites it in the layout
        tables.cluster("visits", "pid");
        assertRowsAndLayout(session);
    }

    private static void assertRowsAndLayout(SparkSession session) {
        assertThat(session.sql("SELECT COUNT(*), COUNT(DISTINCT pid), SUM(CAST(SUBSTRING(label, 8) AS INT)) FROM visits")
                .first().toString()).isEqualTo("[300,40,44850]");
        var rows = session.sql("SELECT hospital AS k, pid AS u FROM visits");
        assertThat(org.datasandbox.core.dprelease.LayoutProbe.clusteredPartitions(rows, 1)).contains(BUCKETS);
    }

    private static EncryptedParquet storage(Path dir) throws Exception {
        CryptoProfile sm = CryptoProfile.of(CryptoProfile.Kind.SM);
        return new EncryptedParquet(KeyVault.open(dir.resolve("keys"), sm,
                org.datasandbox.core.custody.MasterKey.inMemory(sm, sm.newSymmetricKey())));
    }

    /** 300 visits of 40 people, in no order of the unit; each label a plaintext marker. */
    private static ImportedTable visits() {
        List<Object[]> rows = new ArrayList<>();
        for (int r = 0; r < 300; r++) {
            rows.add(new Object[] {(long) (r * 7 % 40), "h" + r % 5, "MARKER-" + r});
        }
        return new ImportedTable(List.of(new DatasetColumn("pid", ColumnType.BIGINT),
                new DatasetColumn("hospital", ColumnType.STRING), new DatasetColumn("label", ColumnType.STRING)), rows);
    }
}
