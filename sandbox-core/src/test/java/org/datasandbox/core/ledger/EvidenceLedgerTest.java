package org.datasandbox.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.identity.Identity;
import org.datasandbox.core.identity.Role;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EvidenceLedgerTest {
    private static final Identity ADMIN = new Identity("Li Na", Role.ADMIN, "ab12");

    @TempDir
    Path dir;

    private Path ledger;

    private void fill(CryptoProfile.Kind kind, int entries) throws IOException {
        ledger = dir.resolve("ledger");
        EvidenceLedger open = EvidenceLedger.open(ledger, CryptoProfile.of(kind));
        for (int i = 0; i < entries; i++) {
            open.append(ADMIN, "policy.applied", "table-" + i, Map.of("version", Integer.toString(i)));
        }
    }

    private List<String> lines() throws IOException {
        return new ArrayList<>(Files.readAllLines(ledger.resolve("ledger.jsonl")));
    }

    private void write(List<String> lines) throws IOException {
        Files.write(ledger.resolve("ledger.jsonl"), lines);
    }

    @ParameterizedTest
    @EnumSource(CryptoProfile.Kind.class)
    void verify_untouched_isValid(CryptoProfile.Kind kind) throws IOException {
        fill(kind, 5);
        LedgerVerification result = LedgerVerifier.verify(ledger);
        assertThat(result.valid()).as(result.problem()).isTrue();
        assertThat(result.entries()).isEqualTo(5);
        assertThat(result.profile()).isEqualTo(kind);
        // reopening continues the same chain
        EvidenceLedger.open(ledger, CryptoProfile.of(kind)).append(ADMIN, "x", "y", Map.of());
        assertThat(LedgerVerifier.verify(ledger).entries()).isEqualTo(6);
    }

    @ParameterizedTest
    @EnumSource(CryptoProfile.Kind.class)
    void verify_oneByteChanged_fails(CryptoProfile.Kind kind) throws IOException {
        fill(kind, 5);
        byte[] bytes = Files.readAllBytes(ledger.resolve("ledger.jsonl"));
        String text = new String(bytes, StandardCharsets.UTF_8);
        int at = text.indexOf("table-2") + 6;
        bytes[at] = '7';
        Files.write(ledger.resolve("ledger.jsonl"), bytes);
        LedgerVerification result = LedgerVerifier.verify(ledger);
        assertThat(result.valid()).isFalse();
        assertThat(result.problem()).contains("entry 3 was changed");
        assertThat(result.entries()).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(CryptoProfile.Kind.class)
    void verify_entryRemovedFromTheMiddle_fails(CryptoProfile.Kind kind) throws IOException {
        fill(kind, 5);
        List<String> lines = lines();
        lines.remove(2);
        write(lines);
        assertThat(LedgerVerifier.verify(ledger).problem()).contains("entry 3 has sequence number 4");
    }

    @ParameterizedTest
    @EnumSource(CryptoProfile.Kind.class)
    void verify_entriesReordered_fails(CryptoProfile.Kind kind) throws IOException {
        fill(kind, 5);
        List<String> lines = lines();
        Collections.swap(lines, 1, 3);
        write(lines);
        assertThat(LedgerVerifier.verify(ledger).valid()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(CryptoProfile.Kind.class)
    void verify_truncatedAtTheEnd_failsOnTheSignedHead(CryptoProfile.Kind kind) throws IOException {
        fill(kind, 5);
        List<String> lines = lines();
        write(lines.subList(0, 3));
        LedgerVerification result = LedgerVerifier.verify(ledger);
        assertThat(result.valid()).isFalse();
        assertThat(result.problem()).contains("ends at entry 3 but its signed head records entry 5");
    }

    @ParameterizedTest
    @EnumSource(CryptoProfile.Kind.class)
    void verify_entryResignedWithAnotherKey_failsOnTheSignature(CryptoProfile.Kind kind) throws IOException {
        fill(kind, 3);
        Path forged = dir.resolve("forged");
        EvidenceLedger other = EvidenceLedger.open(forged, CryptoProfile.of(kind));
        other.append(ADMIN, "policy.applied", "table-0", Map.of("version", "0"));
        List<String> lines = lines();
        lines.set(0, Files.readAllLines(forged.resolve("ledger.jsonl")).get(0));
        write(lines);
        LedgerVerification result = LedgerVerifier.verify(ledger);
        assertThat(result.valid()).isFalse();
        assertThat(result.problem()).containsAnyOf("invalid signature", "was changed", "does not chain");
    }

    @ParameterizedTest
    @EnumSource(CryptoProfile.Kind.class)
    void verify_headDeletedOrLedgerGarbled_fails(CryptoProfile.Kind kind) throws IOException {
        fill(kind, 2);
        Files.delete(ledger.resolve("head.json"));
        assertThat(LedgerVerifier.verify(ledger).problem()).contains("signed head is missing");
        Path garbled = dir.resolve("garbled");
        EvidenceLedger.open(garbled, CryptoProfile.of(kind)).append(ADMIN, "x", "y", Map.of());
        Files.write(garbled.resolve("ledger.jsonl"), new byte[] {(byte) 0xff, (byte) 0xfe, '\n'});
        assertThat(LedgerVerifier.verify(garbled).valid()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(CryptoProfile.Kind.class)
    void open_brokenLedger_refusesToAppend(CryptoProfile.Kind kind) throws IOException {
        fill(kind, 3);
        List<String> lines = lines();
        write(lines.subList(0, 2));
        assertThatThrownBy(() -> EvidenceLedger.open(ledger, CryptoProfile.of(kind)))
                .isInstanceOf(IOException.class).hasMessageContaining("does not verify");
    }
}
