package org.datasandbox.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.identity.Identity;
import org.datasandbox.core.identity.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The rule: a ledger verifies against a checkpoint only if it still contains the checkpointed entry,
 * unchanged. The oracle is the auditor's own copy of the head, taken before anyone touched the directory.
 */
class CheckpointTest {
    private static final Identity ADMIN = new Identity("Li Na", Role.ADMIN, "ab12");

    @TempDir
    Path dir;

    private EvidenceLedger filled(Path ledger, CryptoProfile.Kind kind, int entries, String prefix) throws IOException {
        EvidenceLedger open = EvidenceLedger.open(ledger, CryptoProfile.of(kind));
        for (int i = 0; i < entries; i++) {
            open.append(ADMIN, "policy.applied", prefix + i, Map.of("version", Integer.toString(i)));
        }
        return open;
    }

    @ParameterizedTest
    @EnumSource(CryptoProfile.Kind.class)
    void verify_ledgerThatGrewSinceTheCheckpoint_isValid(CryptoProfile.Kind kind) throws IOException {
        Path ledger = dir.resolve("ledger");
        EvidenceLedger open = filled(ledger, kind, 3, "t");
        Checkpoint kept = Checkpoint.parse(new String(LedgerVerifier.checkpoint(ledger).toJson()) + "\n");
        assertThat(kept.sequence()).isEqualTo(3);
        open.append(ADMIN, "later", "x", Map.of());
        LedgerVerification result = LedgerVerifier.verify(ledger, null, kept);
        assertThat(result.valid()).as(result.problem()).isTrue();
        assertThat(LedgerVerifier.verify(ledger, null, Checkpoint.parse(kept.toString())).valid()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(CryptoProfile.Kind.class)
    void verify_olderCopyWithItsOwnHead_failsAgainstALaterCheckpoint(CryptoProfile.Kind kind) throws IOException {
        Path ledger = dir.resolve("ledger");
        EvidenceLedger open = filled(ledger, kind, 3, "t");
        Path older = dir.resolve("older");
        copy(ledger, older);
        open.append(ADMIN, "job.submitted", "j1", Map.of());
        Checkpoint kept = LedgerVerifier.checkpoint(ledger);
        assertThat(LedgerVerifier.verify(older).valid()).isTrue(); // on its own, the rollback verifies
        LedgerVerification result = LedgerVerifier.verify(older, null, kept);
        assertThat(result.valid()).isFalse();
        assertThat(result.problem()).contains("ends at entry 3").contains("checkpoint records entry 4");
    }

    @ParameterizedTest
    @EnumSource(CryptoProfile.Kind.class)
    void verify_ledgerRewrittenAndResignedWithTheDirectorysKey_failsAgainstTheCheckpoint(CryptoProfile.Kind kind)
            throws IOException {
        Path ledger = dir.resolve("ledger");
        filled(ledger, kind, 3, "t");
        Checkpoint kept = LedgerVerifier.checkpoint(ledger);
        String fingerprint = LedgerVerifier.verify(ledger).keyFingerprint();
        Files.delete(ledger.resolve("ledger.jsonl"));
        Files.delete(ledger.resolve("head.json"));
        Files.deleteIfExists(LedgerFormat.anchor(ledger));
        filled(ledger, kind, 5, "forged"); // same key, taken from the directory
        assertThat(LedgerVerifier.verify(ledger, fingerprint).valid()).isTrue(); // the key alone cannot tell
        LedgerVerification result = LedgerVerifier.verify(ledger, fingerprint, kept);
        assertThat(result.valid()).isFalse();
        assertThat(result.problem()).contains("entry 3 is not the one the checkpoint records");
    }

    @ParameterizedTest
    @EnumSource(CryptoProfile.Kind.class)
    void verify_deletedLedger_failsWithAKeyOrACheckpoint(CryptoProfile.Kind kind) throws IOException {
        Path ledger = dir.resolve("ledger");
        filled(ledger, kind, 2, "t");
        Checkpoint kept = LedgerVerifier.checkpoint(ledger);
        String fingerprint = LedgerVerifier.verify(ledger).keyFingerprint();
        Files.delete(ledger.resolve("ledger.jsonl"));
        Files.delete(ledger.resolve("head.json"));
        assertThat(LedgerVerifier.verify(ledger, fingerprint).problem()).contains("empty or missing");
        assertThat(LedgerVerifier.verify(ledger, null, kept).valid()).isFalse();
        assertThat(LedgerVerifier.verify(ledger, null, new Checkpoint(0, LedgerFormat.GENESIS, "")).problem())
                .contains("empty or missing");
    }

    @ParameterizedTest
    @EnumSource(CryptoProfile.Kind.class)
    void verify_checkpointOfAnotherKey_fails(CryptoProfile.Kind kind) throws IOException {
        Path ledger = dir.resolve("ledger");
        filled(ledger, kind, 2, "t");
        Path other = dir.resolve("other");
        filled(other, kind, 2, "t");
        LedgerVerification result = LedgerVerifier.verify(ledger, null, LedgerVerifier.checkpoint(other));
        assertThat(result.valid()).isFalse();
        assertThat(result.problem()).contains("not signed by this ledger's key");
    }

    @Test
    void parse_anythingButACheckpoint_isRefused() {
        String hash = "ab".repeat(32);
        assertThat(Checkpoint.parse("7:" + hash.toUpperCase())).isEqualTo(new Checkpoint(7, hash, ""));
        for (String bad : new String[] {"", "7", "7:", ":" + hash, "-1:" + hash, "7:" + hash + "0", "x:" + hash,
                "{\"hash\":\"" + hash + "\",\"seq\":7}", "{\"hash\":\"" + hash + "\", \"seq\":7,\"sig\":\"\"}",
                "{\"hash\":\"" + hash + "\",\"seq\":7,\"sig\":\"AB=\"}"}) {
            assertThatThrownBy(() -> Checkpoint.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }
}
