package org.datasandbox.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.util.List;
import java.util.Map;
import org.datasandbox.core.ErrorCode;
import org.datasandbox.core.SandboxException;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.identity.Identity;
import org.datasandbox.core.identity.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The rule (Art. 18): no entry younger than the retention minimum (at least 6 months) leaves the live
 * ledger, and an older one leaves it only as an extract that verifies on its own and joins the live
 * ledger's chain. The oracle is the verifier run on both halves, and the entries read before the archive.
 */
class LedgerRetentionTest {
    private static final Identity AUDITOR = new Identity("Zhou Min", Role.AUDITOR, "cd34");

    @TempDir
    Path dir;

    private Path ledger;

    private EvidenceLedger filled(CryptoProfile.Kind kind, int entries) throws IOException {
        ledger = dir.resolve("ledger");
        EvidenceLedger open = EvidenceLedger.open(ledger, CryptoProfile.of(kind), false, LedgerKeySource.pemFile(ledger),
                new CheckpointPolicy(4, Duration.ofMinutes(10)));
        for (int i = 0; i < entries; i++) {
            open.append(AUDITOR, "job.released", "job-" + i, Map.of());
        }
        return open;
    }

    /** "now" for the archive: the entries were appended just now, so this makes them {@code age} old. */
    private static Instant after(Period age) {
        return Instant.now().atOffset(java.time.ZoneOffset.UTC).plus(age).plusSeconds(1).toInstant();
    }

    @ParameterizedTest
    @EnumSource(CryptoProfile.Kind.class)
    void archive_entriesOlderThanTheMinimum_leaveAsAVerifiableExtract(CryptoProfile.Kind kind) throws IOException {
        EvidenceLedger open = filled(kind, 10);
        List<LedgerEntry> before = open.entries();
        Path extract = dir.resolve("archive-1");
        LedgerEntry recorded = open.archive(AUDITOR, 6, after(Period.ofMonths(7)), RetentionPolicy.ART_18, extract);

        assertThat(recorded.action()).isEqualTo("ledger.archived");
        assertThat(recorded.details()).containsEntry("from", "1").containsEntry("through", "6");
        LedgerVerification archived = LedgerVerifier.verify(extract);
        assertThat(archived.valid()).as(archived.problem()).isTrue();
        assertThat(archived.entries()).isEqualTo(6);
        assertThat(LedgerVerifier.readEntries(extract)).isEqualTo(before.subList(0, 6));
        LedgerVerification live = LedgerVerifier.verify(ledger);
        assertThat(live.valid()).as(live.problem()).isTrue();
        assertThat(live.entries()).isEqualTo(11);
        assertThat(open.entries()).extracting(LedgerEntry::sequence).containsExactly(7L, 8L, 9L, 10L, 11L);
        // the extract's head and the live ledger's base are the same signed statement: the chain crosses the cut
        assertThat(Files.readAllBytes(extract.resolve("head.json"))).isEqualTo(Files.readAllBytes(ledger.resolve("base.json")));
        // and the ledger keeps going: reopened, appended to, archived again
        EvidenceLedger reopened = EvidenceLedger.open(ledger, CryptoProfile.of(kind));
        reopened.append(AUDITOR, "later", "x", Map.of());
        reopened.archive(AUDITOR, 9, after(Period.ofMonths(7)), RetentionPolicy.ART_18, dir.resolve("archive-2"));
        LedgerVerification second = LedgerVerifier.verify(dir.resolve("archive-2"));
        assertThat(second.valid()).as(second.problem()).isTrue();
        assertThat(LedgerVerifier.verify(ledger).valid()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(CryptoProfile.Kind.class)
    void archive_entryYoungerThanTheMinimum_isRefusedAndNothingChanges(CryptoProfile.Kind kind) throws IOException {
        EvidenceLedger open = filled(kind, 5);
        byte[] file = Files.readAllBytes(ledger.resolve("ledger.jsonl"));
        Path extract = dir.resolve("archive");
        assertThatThrownBy(() -> open.archive(AUDITOR, 3, after(Period.ofMonths(5)), RetentionPolicy.ART_18, extract))
                .isInstanceOfSatisfying(SandboxException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.POLICY_DENIED);
                    assertThat(e.details()).containsEntry("rule", "ledger.retention").containsEntry("entry", "1");
                })
                .hasMessageContaining("younger than the retention minimum of P6M (Art. 18)");
        // a longer configured minimum holds too
        assertThatThrownBy(() -> open.archive(AUDITOR, 3, after(Period.ofMonths(13)),
                new RetentionPolicy(Period.ofYears(2)), extract)).isInstanceOf(SandboxException.class);
        assertThat(Files.exists(extract)).isFalse();
        assertThat(Files.exists(ledger.resolve("base.json"))).isFalse();
        byte[] after = Files.readAllBytes(ledger.resolve("ledger.jsonl"));
        assertThat(new String(after)).startsWith(new String(file)); // only the refusals were added
        assertThat(open.entries().subList(5, 7)).extracting(LedgerEntry::action)
                .containsExactly("ledger.archive.refused", "ledger.archive.refused");
        assertThat(LedgerVerifier.verify(ledger).valid()).isTrue();
    }

    @Test
    void retentionPolicy_belowSixMonths_isRefused() {
        assertThatThrownBy(() -> new RetentionPolicy(Period.ofMonths(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 6 (Art. 18)");
        assertThatThrownBy(() -> new RetentionPolicy(Period.ofDays(200)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole number of months");
        assertThat(new RetentionPolicy(Period.ofYears(1)).minimum()).isEqualTo(Period.ofYears(1));
    }

    @ParameterizedTest
    @EnumSource(CryptoProfile.Kind.class)
    void verify_baseRemovedOrArchivedLinesPutBack_failsOrIsRepairedAtOpen(CryptoProfile.Kind kind) throws IOException {
        EvidenceLedger open = filled(kind, 8);
        byte[] whole = Files.readAllBytes(ledger.resolve("ledger.jsonl"));
        open.archive(AUDITOR, 4, after(Period.ofMonths(7)), RetentionPolicy.ART_18, dir.resolve("archive"));
        byte[] base = Files.readAllBytes(ledger.resolve("base.json"));
        Files.delete(ledger.resolve("base.json"));
        assertThat(LedgerVerifier.verify(ledger).problem()).contains("entry 1 has sequence number 5");
        Files.write(ledger.resolve("base.json"), base);
        // a crash between the base and the cut leaves the archived lines in the live file: open cuts them
        Files.write(ledger.resolve("ledger.jsonl"), whole);
        assertThat(LedgerVerifier.verify(ledger).valid()).isFalse();
        EvidenceLedger.open(ledger, CryptoProfile.of(kind)).close();
        LedgerVerification repaired = LedgerVerifier.verify(ledger);
        assertThat(repaired.valid()).as(repaired.problem()).isTrue();
        assertThat(LedgerVerifier.readEntries(ledger).get(0).sequence()).isEqualTo(5);
        // an auditor's checkpoint inside the archived part points to the extract
        Checkpoint atTheCut = LedgerVerifier.checkpoint(dir.resolve("archive"));
        assertThat(LedgerVerifier.verify(ledger, null, atTheCut).valid()).isTrue();
        Checkpoint inside = Checkpoint.parse("3:" + LedgerVerifier.readEntries(dir.resolve("archive")).get(2).hash());
        assertThat(LedgerVerifier.verify(ledger, null, inside).problem()).contains("which was archived");
        assertThat(LedgerVerifier.verify(dir.resolve("archive"), null, inside).valid()).isTrue();
    }
}
