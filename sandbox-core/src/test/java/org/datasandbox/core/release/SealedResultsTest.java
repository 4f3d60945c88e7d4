package org.datasandbox.core.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.datasandbox.core.budget.FileAnswerCache;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.custody.MasterKey;
import org.datasandbox.core.storage.KeyVault;
import org.datasandbox.dp.accounting.AnswerKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The rule: a result or DP answer kept at rest opens only with its scenario's key, for its own job or
 * query, unchanged; once the key is destroyed nothing of the scenario opens. The oracle is the plaintext
 * itself: it is searched for in the bytes on disk, and compared after a round trip.
 */
class SealedResultsTest {
    @TempDir
    Path dir;

    private byte[] ipc;

    @BeforeEach
    void setUp() {
        ipc = new byte[5_000];
        new Random(12).nextBytes(ipc);
        System.arraycopy("district,visits".getBytes(StandardCharsets.US_ASCII), 0, ipc, 100, 15);
    }

    private SealedResults open(CryptoProfile.Kind kind) throws IOException {
        CryptoProfile crypto = CryptoProfile.of(kind);
        return SealedResults.open(dir.resolve("results"), KeyVault.open(dir.resolve("keys"), crypto,
                MasterKey.inMemory(crypto, crypto.newSymmetricKey())), crypto);
    }

    @ParameterizedTest
    @EnumSource(CryptoProfile.Kind.class)
    void write_result_isCiphertextOnDiskAndOpensForItsJobOnly(CryptoProfile.Kind kind) throws IOException {
        SealedResults sealed = open(kind);
        sealed.write("clinic-study", "job-0a", ipc);
        byte[] onDisk = Files.readAllBytes(sealed.file("clinic-study", "job-0a"));
        assertThat(new String(onDisk, StandardCharsets.ISO_8859_1)).doesNotContain("district,visits");
        assertThat(sealed.read("clinic-study", "job-0a").orElseThrow()).isEqualTo(ipc);
        assertThat(sealed.file("clinic-study", "job-0a").toString()).doesNotContain("clinic-study");
        // moved to another job, or to another scenario's folder, or changed: refused
        Files.createDirectories(sealed.file("other", "job-0b").getParent());
        Files.write(sealed.file("clinic-study", "job-0b"), onDisk);
        assertThatThrownBy(() -> sealed.read("clinic-study", "job-0b")).isInstanceOf(IOException.class)
                .hasMessageContaining("does not open");
        Files.write(sealed.file("other", "job-0a"), onDisk);
        assertThatThrownBy(() -> sealed.read("other", "job-0a")).isInstanceOf(IOException.class);
        onDisk[onDisk.length / 2] ^= 1;
        Files.write(sealed.file("clinic-study", "job-0a"), onDisk);
        assertThatThrownBy(() -> sealed.read("clinic-study", "job-0a")).isInstanceOf(IOException.class);
        assertThat(sealed.read("clinic-study", "job-0c")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(CryptoProfile.Kind.class)
    void shred_scenario_leavesNothingOfItThatOpensAndOthersIntact(CryptoProfile.Kind kind) throws IOException {
        SealedResults sealed = open(kind);
        sealed.write("ending", "job-01", ipc);
        sealed.write("ending", "job-02", ipc);
        sealed.write("staying", "job-03", ipc);
        FileAnswerCache answers = FileAnswerCache.open(dir.resolve("answers"), sealed);
        AnswerKey ending = new AnswerKey("ending", "a".repeat(64));
        AnswerKey staying = new AnswerKey("staying", "b".repeat(64));
        answers.releaseOnce(ending, () -> "{\"rows\":[[\"Wuchang\",1234.5]]}");
        answers.releaseOnce(staying, () -> "{\"rows\":[]}");
        assertThat(new String(Files.readAllBytes(answers.files("ending").get(0)), StandardCharsets.ISO_8859_1))
                .doesNotContain("Wuchang");

        // the deletion check's question, asked before the shred: every kept file of the scenario opens
        Path answerFile = answers.files("ending").get(0);
        assertThat(sealed.opens("ending", sealed.file("ending", "job-01"))).isTrue();
        assertThat(sealed.opens("ending", answerFile)).isTrue();
        assertThat(sealed.opens("ending", sealed.file("staying", "job-03"))).isFalse(); // another scenario's

        SealedResults.Shredded shredded = sealed.shred("ending");

        assertThat(shredded.keys()).containsExactly(sealed.keyName("ending"));
        assertThat(shredded.files()).containsExactly(sealed.file("ending", "job-01"), sealed.file("ending", "job-02"));
        for (Path file : shredded.files()) {
            assertThat(file).exists(); // left in place, as ciphertext
        }
        assertThatThrownBy(() -> sealed.read("ending", "job-01")).isInstanceOf(IOException.class)
                .hasMessageContaining("destroyed");
        assertThatThrownBy(() -> answers.get(ending)).hasMessageContaining("could not be read");
        assertThat(sealed.read("staying", "job-03").orElseThrow()).isEqualTo(ipc);
        assertThat(answers.get(staying)).contains("{\"rows\":[]}");
        assertThat(sealed.opens("ending", sealed.file("ending", "job-01"))).isFalse();
        assertThat(sealed.opens("ending", answerFile)).isFalse();
        assertThat(sealed.opens("staying", sealed.file("staying", "job-03"))).isTrue();
        assertThat(sealed.shred("ending").keys()).isEmpty(); // a second end destroys nothing more
    }

    @ParameterizedTest
    @EnumSource(CryptoProfile.Kind.class)
    void writer_uncommitted_leavesNothingAndCommittedStreamsBack(CryptoProfile.Kind kind) throws IOException {
        SealedResults sealed = open(kind);
        try (SealedResults.ResultWriter writer = sealed.writer("clinic-study", "job-0d")) {
            writer.write(ipc);
        } // no commit: a failed or cancelled job
        assertThat(sealed.read("clinic-study", "job-0d")).isEmpty();
        try (java.util.stream.Stream<Path> files = Files.walk(dir.resolve("results"))) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
        try (SealedResults.ResultWriter writer = sealed.writer("clinic-study", "job-0d")) {
            for (int i = 0; i < 300; i++) {
                writer.write(ipc); // 1.5 MB: more than one chunk
            }
            writer.commit();
        }
        try (java.io.InputStream in = sealed.reader("clinic-study", "job-0d").orElseThrow()) {
            for (int i = 0; i < 300; i++) {
                assertThat(in.readNBytes(ipc.length)).isEqualTo(ipc);
            }
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @ParameterizedTest
    @EnumSource(CryptoProfile.Kind.class)
    void read_resultSealedInOnePieceByAnEarlierVersion_stillOpens(CryptoProfile.Kind kind) throws IOException {
        SealedResults sealed = open(kind);
        Path file = sealed.file("clinic-study", "job-0e");
        Files.createDirectories(file.getParent());
        Files.write(file, sealed.seal("clinic-study", "result/job-0e", ipc));

        assertThat(sealed.read("clinic-study", "job-0e").orElseThrow()).isEqualTo(ipc);
        assertThat(sealed.opens("clinic-study", file)).isTrue();
    }
}
