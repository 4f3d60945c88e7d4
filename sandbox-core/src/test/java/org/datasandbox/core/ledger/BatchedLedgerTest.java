package org.datasandbox.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.identity.Identity;
import org.datasandbox.core.identity.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The rule: with signatures batched at checkpoints, every entry the signed head covers is as protected as
 * when each entry was signed (any change, removal, reordering or truncation fails with a message naming
 * it), and entries after the head are reported as chained but unsigned, never silently counted as signed.
 */
class BatchedLedgerTest {
    private static final Identity ADMIN = new Identity("Li Na", Role.ADMIN, "ab12");
    /** A checkpoint every 7 entries and never by time within a test (no timing in these tests). */
    private static final CheckpointPolicy EVERY_7 = new CheckpointPolicy(7, Duration.ofMinutes(10));

    @TempDir
    Path dir;

    private Path ledger;

    private EvidenceLedger open(CryptoProfile.Kind kind, CheckpointPolicy policy) throws IOException {
        ledger = dir.resolve("ledger");
        return EvidenceLedger.open(ledger, CryptoProfile.of(kind), false, LedgerKeySource.pemFile(ledger), policy);
    }

    private EvidenceLedger filled(CryptoProfile.Kind kind, int entries) throws IOException {
        EvidenceLedger open = open(kind, EVERY_7);
        for (int i = 0; i < entries; i++) {
            open.append(ADMIN, "job.released", "job-" + i, Map.of("rows", Integer.toString(i)));
        }
        return open;
    }

    private List<String> lines() throws IOException {
        return new ArrayList<>(Files.readAllLines(ledger.resolve("ledger.jsonl")));
    }

    private void write(List<String> lines) throws IOException {
        Files.write(ledger.resolve("ledger.jsonl"), lines);
    }

    @ParameterizedTest
    @EnumSource(CryptoProfile.Kind.class)
    void append_batched_signsOnlyCheckpointsAndReportsTheTail(CryptoProfile.Kind kind) throws IOException {
        EvidenceLedger open = filled(kind, 17);
        List<Long> signed = new ArrayList<>();
        for (LedgerEntry entry : open.entries()) {
            if (!entry.signature().isEmpty()) {
                signed.add(entry.sequence());
            }
        }
        assertThat(signed).containsExactly(7L, 14L);
        LedgerVerification result = LedgerVerifier.verify(ledger);
        assertThat(result.valid()).as(result.problem()).isTrue();
        assertThat(result.entries()).isEqualTo(17);
        assertThat(result.unsignedEntries()).isEqualTo(3);
        assertThat(open.checkpoint()).isEqualTo(3);
        assertThat(LedgerVerifier.verify(ledger).unsignedEntries()).isZero();
        assertThat(LedgerVerifier.checkpoint(ledger).sequence()).isEqualTo(17);
        assertThat(open.checkpoint()).isZero(); // nothing new to cover
    }

    @ParameterizedTest
    @EnumSource(CryptoProfile.Kind.class)
    void verify_tamperedUnsignedEntryBeforeTheHead_fails(CryptoProfile.Kind kind) throws IOException {
        filled(kind, 17).checkpoint();
        List<String> lines = lines();
        lines.set(9, lines.get(9).replace("job-9", "job-8"));
        write(lines);
        LedgerVerification result = LedgerVerifier.verify(ledger);
        assertThat(result.valid()).isFalse();
        assertThat(result.problem()).contains("entry 10 was changed");
    }

    @ParameterizedTest
    @EnumSource(CryptoProfile.Kind.class)
    void verify_checkpointSignatureTamperedOrStripped_fails(CryptoProfile.Kind kind) throws IOException {
        filled(kind, 10).close();
        List<String> original = lines();
        String signature = LedgerFormat.parse(original.get(6)).signature();
        byte[] other = java.util.Base64.getDecoder().decode(signature);
        other[other.length - 1] ^= 1;
        List<String> lines = new ArrayList<>(original);
        lines.set(6, lines.get(6).replace(signature, java.util.Base64.getEncoder().encodeToString(other)));
        write(lines);
        assertThat(LedgerVerifier.verify(ledger).problem()).contains("entry 7 has an invalid signature");
        // a stripped checkpoint is still covered by the head through the chain; removing it breaks the chain
        lines = new ArrayList<>(original);
        lines.remove(6);
        write(lines);
        assertThat(LedgerVerifier.verify(ledger).problem()).contains("entry 7 has sequence number 8");
    }

    @ParameterizedTest
    @EnumSource(CryptoProfile.Kind.class)
    void verify_headRemovedOrRolledBack_fails(CryptoProfile.Kind kind) throws IOException {
        EvidenceLedger open = filled(kind, 3);
        open.checkpoint();
        byte[] older = Files.readAllBytes(ledger.resolve("head.json"));
        for (int i = 0; i < 7; i++) { // entry 10 is a checkpoint (7 after the head): the head moves to it
            open.append(ADMIN, "more", "m" + i, Map.of());
        }
        Files.write(ledger.resolve("head.json"), older);
        assertThat(LedgerVerifier.verify(ledger).problem())
                .contains("entry 10 is signed but the signed head records entry 3");
        Files.delete(ledger.resolve("head.json"));
        assertThat(LedgerVerifier.verify(ledger).problem()).contains("signed head is missing");
    }

    @ParameterizedTest
    @EnumSource(CryptoProfile.Kind.class)
    void verify_truncatedTailOrReorderedPair_fails(CryptoProfile.Kind kind) throws IOException {
        filled(kind, 12).checkpoint();
        List<String> original = lines();
        write(original.subList(0, 10));
        assertThat(LedgerVerifier.verify(ledger).problem())
                .contains("ends at entry 10 but its signed head records entry 12");
        List<String> lines = new ArrayList<>(original);
        Collections.swap(lines, 2, 3);
        write(lines);
        assertThat(LedgerVerifier.verify(ledger).problem()).contains("entry 3 has sequence number 4");
    }

    /**
     * Oracle: the head covers entries 1..N, so whatever byte of them changes, verification fails; the test
     * does not know which tamper it makes (random position, random new byte).
     */
    @Test
    void verify_anyByteChangedUnderTheHead_fails() throws IOException {
        filled(CryptoProfile.Kind.INTERNATIONAL, 20).checkpoint();
        Path file = ledger.resolve("ledger.jsonl");
        byte[] original = Files.readAllBytes(file);
        Random random = new Random(20261130L);
        for (int trial = 0; trial < 200; trial++) {
            byte[] bytes = original.clone();
            int at = random.nextInt(bytes.length);
            byte replacement;
            do {
                replacement = (byte) (32 + random.nextInt(95));
            } while (replacement == bytes[at]);
            bytes[at] = replacement;
            Files.write(file, bytes);
            assertThat(LedgerVerifier.verify(ledger).valid()).as("byte %d changed", at).isFalse();
        }
        Files.write(file, original);
        assertThat(LedgerVerifier.verify(ledger).valid()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(CryptoProfile.Kind.class)
    void open_unsignedTailAfterACrash_signsItAndRecordsThat(CryptoProfile.Kind kind) throws IOException {
        filled(kind, 10); // no close: entries 8 to 10 unsigned
        EvidenceLedger reopened = open(kind, EVERY_7);
        List<LedgerEntry> entries = reopened.entries();
        assertThat(entries).hasSize(11);
        assertThat(entries.get(10).action()).isEqualTo("ledger.tail.signed");
        assertThat(entries.get(10).details()).containsEntry("entries", "3").containsEntry("from", "8");
        reopened.close();
        LedgerVerification result = LedgerVerifier.verify(ledger);
        assertThat(result.valid()).as(result.problem()).isTrue();
        assertThat(result.unsignedEntries()).isZero();
    }

    @ParameterizedTest
    @EnumSource(CryptoProfile.Kind.class)
    void open_crashBetweenCheckpointEntryAndItsHead_isRepaired(CryptoProfile.Kind kind) throws IOException {
        EvidenceLedger open = filled(kind, 6);
        open.checkpoint();
        byte[] head = Files.readAllBytes(ledger.resolve("head.json"));
        for (int i = 0; i < 7; i++) { // entry 13 is the next checkpoint
            open.append(ADMIN, "more", "m" + i, Map.of());
        }
        Files.write(ledger.resolve("head.json"), head);
        EvidenceLedger.open(ledger, CryptoProfile.of(kind), false, LedgerKeySource.pemFile(ledger), EVERY_7).close();
        LedgerVerification result = LedgerVerifier.verify(ledger);
        assertThat(result.valid()).as(result.problem()).isTrue();
        assertThat(lines().get(13)).contains("ledger.recovered").contains("behind the last checkpoint entry");
    }

    @ParameterizedTest
    @EnumSource(CryptoProfile.Kind.class)
    void open_ledgerSignedEntryByEntry_verifiesAndContinuesBatched(CryptoProfile.Kind kind) throws IOException {
        ledger = dir.resolve("ledger");
        EvidenceLedger old = EvidenceLedger.open(ledger, CryptoProfile.of(kind));
        for (int i = 0; i < 4; i++) {
            old.append(ADMIN, "policy.applied", "t" + i, Map.of());
        }
        assertThat(old.checkpointPolicy()).isEqualTo(CheckpointPolicy.EVERY_ENTRY);
        assertThat(LedgerVerifier.verify(ledger).unsignedEntries()).isZero();
        EvidenceLedger batched = open(kind, EVERY_7);
        batched.append(ADMIN, "job.released", "j", Map.of());
        LedgerVerification result = LedgerVerifier.verify(ledger);
        assertThat(result.valid()).as(result.problem()).isTrue();
        assertThat(result.unsignedEntries()).isEqualTo(1);
    }

    @Test
    void append_idleTail_isSignedAfterTheDelay() throws IOException, InterruptedException {
        EvidenceLedger open = open(CryptoProfile.Kind.INTERNATIONAL, new CheckpointPolicy(1_000, Duration.ofMillis(50)));
        Thread.sleep(60); // the first append after a delay is itself a checkpoint; the next two are not
        open.append(ADMIN, "a", "b", Map.of());
        open.append(ADMIN, "c", "d", Map.of());
        open.append(ADMIN, "e", "f", Map.of());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (LedgerVerifier.verify(ledger).unsignedEntries() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(LedgerVerifier.verify(ledger).unsignedEntries()).isZero();
        assertThat(LedgerVerifier.checkpoint(ledger).sequence()).isEqualTo(3);
    }

    @Test
    void append_syncedOnlyAtCheckpoints_verifiesTheSame() throws IOException {
        EvidenceLedger open = open(CryptoProfile.Kind.INTERNATIONAL,
                new CheckpointPolicy(7, Duration.ofMinutes(10), false));
        for (int i = 0; i < 9; i++) {
            open.append(ADMIN, "job.released", "job-" + i, Map.of());
        }
        assertThat(LedgerVerifier.verify(ledger).unsignedEntries()).isEqualTo(2);
        open.close();
        LedgerVerification result = LedgerVerifier.verify(ledger);
        assertThat(result.valid()).as(result.problem()).isTrue();
        assertThat(result.unsignedEntries()).isZero();
        assertThat(CheckpointPolicy.BATCHED.syncEachAppend()).isTrue();
    }

    @Test
    void checkpointPolicy_outOfRange_isRefused() {
        assertThatThrownBy(() -> new CheckpointPolicy(0, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least every 1 entry");
        assertThatThrownBy(() -> new CheckpointPolicy(10, Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 0 and 10 minutes");
    }
}
