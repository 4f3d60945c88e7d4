package org.datasandbox.core.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Random;
import org.apache.parquet.io.SeekableInputStream;
import org.datasandbox.core.ErrorCode;
import org.datasandbox.core.SandboxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagingAreaTest {
    @TempDir
    Path dir;

    private static byte[] bytes(int n, long seed) {
        byte[] data = new byte[n];
        new Random(seed).nextBytes(data);
        return data;
    }

    @Test
    void append_inOddChunks_readsBackTheSameBytesAndHash() throws Exception {
        StagingArea area = StagingArea.open(dir, 1 << 20, "SHA-256", new SecureRandom());
        byte[] data = bytes(100_003, 1);
        try (StagedUpload upload = area.begin()) {
            for (int offset = 0; offset < data.length; offset += 4_099) {
                upload.append(data, offset, Math.min(4_099, data.length - offset));
            }
            upload.finish();
            assertThat(upload.size()).isEqualTo(data.length);
            assertThat(upload.contentHash())
                    .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)));
            try (InputStream in = upload.open()) {
                assertThat(in.readAllBytes()).isEqualTo(data);
            }
            // random access, as Parquet reads: every offset decrypts to the same bytes
            Random random = new Random(2);
            try (SeekableInputStream in = upload.inputFile().newStream()) {
                for (int i = 0; i < 200; i++) {
                    int at = random.nextInt(data.length - 40);
                    in.seek(at);
                    byte[] read = new byte[1 + random.nextInt(39)];
                    in.readFully(read);
                    assertThat(read).isEqualTo(java.util.Arrays.copyOfRange(data, at, at + read.length));
                    assertThat(in.getPos()).isEqualTo(at + read.length);
                }
            }
        }
    }

    @Test
    void stagedFile_onDisk_isNotThePlainUpload() throws Exception {
        StagingArea area = StagingArea.open(dir, 1 << 20, "SHA-256", new SecureRandom());
        byte[] data = "id,name\n1,MARKER-secret\n".repeat(100).getBytes(StandardCharsets.UTF_8);
        try (StagedUpload upload = area.begin()) {
            upload.append(data);
            upload.finish();
            byte[] onDisk = Files.readAllBytes(upload.file());
            assertThat(onDisk).hasSameSizeAs(data);
            assertThat(new String(onDisk, StandardCharsets.ISO_8859_1)).doesNotContain("MARKER");
        }
    }

    @Test
    void append_pastTheQuota_isRefusedAndCloseDeletesTheFile() throws Exception {
        StagingArea area = StagingArea.open(dir, 1000, "SM3", new SecureRandom());
        StagedUpload upload = area.begin();
        upload.append(new byte[600]);
        assertThatThrownBy(() -> upload.append(new byte[401]))
                .isInstanceOfSatisfying(SandboxException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOO_LARGE));
        assertThat(area.stagedFiles()).isEqualTo(1);
        upload.close();
        assertThat(area.stagedFiles()).isZero();
    }

    @Test
    void open_afterACrash_deletesLeftovers() throws Exception {
        StagingArea first = StagingArea.open(dir, 1000, "SM3", new SecureRandom());
        first.begin().append(new byte[10]); // never closed: the process "died"
        Files.createDirectories(dir.resolve("odd-dir").resolve("inner"));
        StagingArea second = StagingArea.open(dir, 1000, "SM3", new SecureRandom());
        assertThat(second.leftoversRemoved()).isEqualTo(2);
        assertThat(second.stagedFiles()).isZero();
    }
}
