package org.datasandbox.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table's recorded files against its directory: any file Spark would read that is missing, of another size or
 * not recorded fails the check, with a message that names no file; files Spark skips (hidden, "_") do not count.
 */
class StoredFilesTest {
    @TempDir
    Path dir;

    @Test
    void verify_untouched_passes() throws Exception {
        written();
        assertThatCode(() -> StoredFiles.verify(dir)).doesNotThrowAnyException();
    }

    @Test
    void verify_fileDeleted_fails() throws Exception {
        written();
        Files.delete(dir.resolve("part-00001.parquet"));
        assertThatThrownBy(() -> StoredFiles.verify(dir)).isInstanceOf(StoredFiles.Mismatch.class)
                .hasMessageContaining("1 missing").hasMessageNotContaining("part-");
    }

    @Test
    void verify_fileTruncated_fails() throws Exception {
        written();
        Files.write(dir.resolve("part-00000.parquet"), new byte[] {1, 2});
        assertThatThrownBy(() -> StoredFiles.verify(dir)).isInstanceOf(StoredFiles.Mismatch.class)
                .hasMessageContaining("1 changed in size").hasMessageNotContaining("part-");
    }

    @Test
    void verify_strayFileOrDirectory_fails() throws Exception {
        written();
        Files.write(dir.resolve("part-00009.parquet"), new byte[] {1});
        assertThatThrownBy(() -> StoredFiles.verify(dir)).hasMessageContaining("1 not written by the sandbox");
        Files.delete(dir.resolve("part-00009.parquet"));
        Files.createDirectory(dir.resolve("pid=7"));
        assertThatThrownBy(() -> StoredFiles.verify(dir)).hasMessageContaining("1 not written by the sandbox");
    }

    @Test
    void verify_filesSparkSkipsAdded_passes() throws Exception {
        written();
        Files.write(dir.resolve(".part-00000.parquet.crc"), new byte[] {1});
        Files.write(dir.resolve("_SUCCESS"), new byte[0]);
        assertThatCode(() -> StoredFiles.verify(dir)).doesNotThrowAnyException();
    }

    @Test
    void verify_noRecordOrNoDirectory_fails() throws Exception {
        Files.write(dir.resolve("part-00000.parquet"), new byte[10]);
        assertThatThrownBy(() -> StoredFiles.verify(dir)).hasMessageContaining("no record of its files");
        assertThatThrownBy(() -> StoredFiles.verify(dir.resolve("gone"))).isInstanceOf(StoredFiles.Mismatch.class);
    }

    @Test
    void sparkReads_followsSparksListingRule() {
        assertThat(StoredFiles.sparkReads("part-00000-x.snappy.parquet")).isTrue();
        assertThat(StoredFiles.sparkReads("_metadata")).isTrue();
        assertThat(StoredFiles.sparkReads("_a=1")).isTrue();
        assertThat(StoredFiles.sparkReads(StoredFiles.MANIFEST)).isFalse();
        assertThat(StoredFiles.sparkReads(OriginalTables.LAYOUT)).isFalse();
        assertThat(StoredFiles.sparkReads(".hidden")).isFalse();
        assertThat(StoredFiles.sparkReads("x._COPYING_")).isFalse();
    }

    private void written() throws Exception {
        Files.write(dir.resolve("part-00000.parquet"), new byte[100]);
        Files.write(dir.resolve("part-00001.parquet"), new byte[200]);
        Files.writeString(dir.resolve(OriginalTables.LAYOUT), "pid\n2\n");
        StoredFiles.record(dir);
    }
}
