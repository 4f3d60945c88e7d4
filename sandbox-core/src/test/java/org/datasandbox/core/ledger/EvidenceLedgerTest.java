package org.datasandbox.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
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

    @ParameterizedTest
    @EnumSource(CryptoProfile.Kind.class)
    void verify_keyAddedOrSpacingChanged_failsAsNotCanonical(CryptoProfile.Kind kind) throws IOException {
        fill(kind, 3);
        List<String> lines = lines();
        lines.set(1, lines.get(1).replaceFirst("^\\{", "{\"note\":\"approved\","));
        write(lines);
        assertThat(LedgerVerifier.verify(ledger).problem()).contains("entry 2 is not in canonical form");
        lines = lines();
        lines.set(1, lines.get(1).replaceFirst("^\\{\"note\":\"approved\",", "{").replace(",", ", "));
        write(lines);
        assertThat(LedgerVerifier.verify(ledger).problem()).contains("entry 2 is not in canonical form");
    }

    @ParameterizedTest
    @EnumSource(CryptoProfile.Kind.class)
    void verify_expectedKeyFingerprint_mustMatch(CryptoProfile.Kind kind) throws IOException {
        fill(kind, 2);
        String published = LedgerVerifier.verify(ledger).keyFingerprint();
        assertThat(LedgerVerifier.verify(ledger, published).valid()).isTrue();
        assertThat(LedgerVerifier.verify(ledger, published.toUpperCase()).valid()).isTrue();
        // another fingerprint for sure: the first hex digit changed (a fixed "00" prefix matched 1 run in 256)
        char first = Character.toLowerCase(published.charAt(0));
        LedgerVerification other = LedgerVerifier.verify(ledger, (first == '0' ? "1" : "0") + published.substring(1));
        assertThat(other.valid()).isFalse();
        assertThat(other.problem()).contains("not the expected one");
    }

    @ParameterizedTest
    @EnumSource(CryptoProfile.Kind.class)
    void open_afterCrashMidLine_setsTheFragmentAsideAndRecordsTheRecovery(CryptoProfile.Kind kind) throws IOException {
        fill(kind, 3);
        Files.write(ledger.resolve("ledger.jsonl"), "{\"action\":\"job.subm".getBytes(StandardCharsets.UTF_8),
                java.nio.file.StandardOpenOption.APPEND);
        EvidenceLedger reopened = EvidenceLedger.open(ledger, CryptoProfile.of(kind));
        reopened.append(ADMIN, "after", "crash", Map.of());
        LedgerVerification result = LedgerVerifier.verify(ledger);
        assertThat(result.valid()).as(result.problem()).isTrue();
        assertThat(result.entries()).isEqualTo(5);
        assertThat(lines().get(3)).contains("ledger.recovered").contains("unfinished last entry");
        try (var partial = Files.list(ledger).filter(f -> f.getFileName().toString().startsWith("partial-"))) {
            assertThat(partial.map(f -> read(f)).toList()).containsExactly("{\"action\":\"job.subm");
        }
    }

    @ParameterizedTest
    @EnumSource(CryptoProfile.Kind.class)
    void open_headOneEntryBehind_isResigned(CryptoProfile.Kind kind) throws IOException {
        fill(kind, 3);
        byte[] head = Files.readAllBytes(ledger.resolve("head.json"));
        EvidenceLedger.open(ledger, CryptoProfile.of(kind)).append(ADMIN, "last", "entry", Map.of());
        Files.write(ledger.resolve("head.json"), head); // the crash came between the entry and its head
        EvidenceLedger.open(ledger, CryptoProfile.of(kind));
        LedgerVerification result = LedgerVerifier.verify(ledger);
        assertThat(result.valid()).as(result.problem()).isTrue();
        assertThat(result.entries()).isEqualTo(5);
        assertThat(lines().get(4)).contains("signed head was one entry behind");
    }

    @ParameterizedTest
    @EnumSource(CryptoProfile.Kind.class)
    void open_headTwoEntriesBehindOrLastLineCut_isLeftToAnAuditor(CryptoProfile.Kind kind) throws IOException {
        fill(kind, 3);
        byte[] head = Files.readAllBytes(ledger.resolve("head.json"));
        EvidenceLedger twice = EvidenceLedger.open(ledger, CryptoProfile.of(kind));
        twice.append(ADMIN, "one", "x", Map.of());
        twice.append(ADMIN, "two", "x", Map.of());
        Files.write(ledger.resolve("head.json"), head);
        assertThatThrownBy(() -> EvidenceLedger.open(ledger, CryptoProfile.of(kind)))
                .isInstanceOf(IOException.class).hasMessageContaining("does not verify");

        Path cut = dir.resolve("cut");
        EvidenceLedger.open(cut, CryptoProfile.of(kind)).append(ADMIN, "a", "b", Map.of());
        EvidenceLedger.open(cut, CryptoProfile.of(kind)).append(ADMIN, "c", "d", Map.of());
        byte[] bytes = Files.readAllBytes(cut.resolve("ledger.jsonl"));
        // cutting into a complete, signed entry leaves the head ahead of the chain: not a crash
        Files.write(cut.resolve("ledger.jsonl"), java.util.Arrays.copyOf(bytes, bytes.length - 20));
        assertThatThrownBy(() -> EvidenceLedger.open(cut, CryptoProfile.of(kind)))
                .isInstanceOf(IOException.class).hasMessageContaining("does not verify");
    }

    @ParameterizedTest
    @EnumSource(CryptoProfile.Kind.class)
    void verify_newlineChangedToCarriageReturn_failsNamingTheLine(CryptoProfile.Kind kind) throws IOException {
        fill(kind, 3);
        byte[] bytes = Files.readAllBytes(ledger.resolve("ledger.jsonl"));
        int second = new String(bytes, StandardCharsets.UTF_8).indexOf('\n', 0);
        bytes[second] = '\r';
        Files.write(ledger.resolve("ledger.jsonl"), bytes);
        LedgerVerification result = LedgerVerifier.verify(ledger);
        assertThat(result.valid()).isFalse();
        assertThat(result.problem()).contains("line 1").contains("carriage return");
        Files.write(ledger.resolve("ledger.jsonl"), lines().stream().map(l -> l + "\r\n").reduce("", String::concat)
                .getBytes(StandardCharsets.UTF_8));
        assertThat(LedgerVerifier.verify(ledger).problem()).contains("line 1").contains("carriage return");
    }

    @ParameterizedTest
    @EnumSource(CryptoProfile.Kind.class)
    void verify_finalNewlineRemoved_failsNamingTheLine(CryptoProfile.Kind kind) throws IOException {
        fill(kind, 3);
        byte[] bytes = Files.readAllBytes(ledger.resolve("ledger.jsonl"));
        Files.write(ledger.resolve("ledger.jsonl"), java.util.Arrays.copyOf(bytes, bytes.length - 1));
        LedgerVerification result = LedgerVerifier.verify(ledger);
        assertThat(result.valid()).isFalse();
        assertThat(result.problem()).contains("line 3").contains("no line end");
        assertThat(result.entries()).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(CryptoProfile.Kind.class)
    void verify_unusedBitsOfASignatureChanged_failsAsNotCanonicalBase64(CryptoProfile.Kind kind) throws IOException {
        fill(kind, 12);
        List<String> lines = lines();
        int index = 0;
        while (!LedgerFormat.parse(lines.get(index)).signature().endsWith("=")) {
            index++; // DER signatures vary in length; most leave unused bits in the last character
        }
        String line = lines.get(index);
        String signature = LedgerFormat.parse(line).signature();
        String altered = alternativeBase64(signature);
        assertThat(Base64.getDecoder().decode(altered)).isEqualTo(Base64.getDecoder().decode(signature));
        lines.set(index, line.replace(signature, altered));
        write(lines);
        LedgerVerification result = LedgerVerifier.verify(ledger);
        assertThat(result.valid()).isFalse();
        assertThat(result.problem()).contains("entry " + (index + 1));
    }

    @ParameterizedTest
    @EnumSource(CryptoProfile.Kind.class)
    void verify_headSignatureWithChangedUnusedBitsOrNonCanonicalHead_fails(CryptoProfile.Kind kind) throws IOException {
        fill(kind, 3);
        Path head = ledger.resolve("head.json");
        String original = Files.readString(head);
        String signature = LedgerFormat.JSON.readTree(original).get("sig").asText();
        if (signature.endsWith("=")) {
            Files.writeString(head, original.replace(signature, alternativeBase64(signature)));
            assertThat(LedgerVerifier.verify(ledger).problem()).contains("signed head");
        }
        Files.writeString(head, original.replace(",", ", "));
        assertThat(LedgerVerifier.verify(ledger).problem()).contains("signed head");
        Files.writeString(head, original);
        assertThat(LedgerVerifier.verify(ledger).valid()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(CryptoProfile.Kind.class)
    void verify_duplicateKeyOrTrailingValue_failsAsNotCanonical(CryptoProfile.Kind kind) throws IOException {
        fill(kind, 3);
        List<String> original = lines();
        List<String> lines = new ArrayList<>(original);
        lines.set(1, lines.get(1).replaceFirst("^\\{", "{\"action\":\"forged\","));
        write(lines);
        assertThat(LedgerVerifier.verify(ledger).problem()).contains("entry 2");
        lines = new ArrayList<>(original);
        lines.set(1, lines.get(1) + " {}");
        write(lines);
        assertThat(LedgerVerifier.verify(ledger).problem()).contains("entry 2");
    }

    @ParameterizedTest
    @EnumSource(CryptoProfile.Kind.class)
    void open_ledgerFilesOrDirectoryDeleted_refusesToStartANewChain(CryptoProfile.Kind kind) throws IOException {
        fill(kind, 3);
        Files.delete(ledger.resolve("ledger.jsonl"));
        Files.delete(ledger.resolve("head.json"));
        assertThatThrownBy(() -> EvidenceLedger.open(ledger, CryptoProfile.of(kind)))
                .isInstanceOf(IOException.class).hasMessageContaining("shorter than or differs from its last checkpoint");
        try (var files = Files.list(ledger)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(ledger);
        assertThatThrownBy(() -> EvidenceLedger.open(ledger, CryptoProfile.of(kind)))
                .isInstanceOf(IOException.class).hasMessageContaining("missing");
        assertThat(Files.exists(ledger)).isFalse(); // nothing was created in its place
    }

    @ParameterizedTest
    @EnumSource(CryptoProfile.Kind.class)
    void open_olderCopyRestoredWithItsOwnHead_refuses(CryptoProfile.Kind kind) throws IOException {
        fill(kind, 3);
        byte[] olderEntries = Files.readAllBytes(ledger.resolve("ledger.jsonl"));
        byte[] olderHead = Files.readAllBytes(ledger.resolve("head.json"));
        EvidenceLedger.open(ledger, CryptoProfile.of(kind)).append(ADMIN, "job.submitted", "j1", Map.of());
        Files.write(ledger.resolve("ledger.jsonl"), olderEntries);
        Files.write(ledger.resolve("head.json"), olderHead);
        assertThat(LedgerVerifier.verify(ledger).valid()).isTrue(); // consistent on its own
        assertThatThrownBy(() -> EvidenceLedger.open(ledger, CryptoProfile.of(kind)))
                .isInstanceOf(IOException.class).hasMessageContaining("last checkpoint 4:");
    }

    @ParameterizedTest
    @EnumSource(CryptoProfile.Kind.class)
    void open_anchorOneWriteBehindAfterACrash_opensAndCatchesUp(CryptoProfile.Kind kind) throws IOException {
        fill(kind, 3);
        Path anchor = dir.resolve("ledger.anchor");
        byte[] behind = Files.readAllBytes(anchor);
        EvidenceLedger.open(ledger, CryptoProfile.of(kind)).append(ADMIN, "x", "y", Map.of());
        Files.write(anchor, behind); // the crash came between the head and the anchor
        EvidenceLedger.open(ledger, CryptoProfile.of(kind));
        assertThat(Files.readAllBytes(anchor)).isEqualTo(Files.readAllBytes(ledger.resolve("head.json")));
        Files.writeString(anchor, "garbage");
        assertThatThrownBy(() -> EvidenceLedger.open(ledger, CryptoProfile.of(kind)))
                .isInstanceOf(IOException.class).hasMessageContaining("anchor");
    }

    @ParameterizedTest
    @EnumSource(CryptoProfile.Kind.class)
    void open_initialisedBeforeButEmptyWithoutAnchor_refuses(CryptoProfile.Kind kind) throws IOException {
        Path fresh = dir.resolve("fresh");
        assertThatThrownBy(() -> EvidenceLedger.open(fresh, CryptoProfile.of(kind), true))
                .isInstanceOf(IOException.class).hasMessageContaining("missing");
        EvidenceLedger.open(fresh, CryptoProfile.of(kind), false); // a first start creates the key
        assertThatThrownBy(() -> EvidenceLedger.open(fresh, CryptoProfile.of(kind), true))
                .isInstanceOf(IOException.class).hasMessageContaining("empty");
        fill(kind, 1);
        EvidenceLedger.open(ledger, CryptoProfile.of(kind), true).append(ADMIN, "x", "y", Map.of());
    }

    /** The same bytes in a different base64 text: the last character's unused low bits set. */
    private static String alternativeBase64(String canonical) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        String body = canonical.replaceAll("=+$", "");
        int padding = canonical.length() - body.length();
        assertThat(padding).as("a signature whose length leaves unused bits").isPositive();
        int last = alphabet.indexOf(body.charAt(body.length() - 1));
        char changed = alphabet.charAt(last | (padding == 1 ? 0b11 : 0b1111));
        if (changed == body.charAt(body.length() - 1)) {
            changed = alphabet.charAt(last ^ 1);
        }
        return body.substring(0, body.length() - 1) + changed + "=".repeat(padding);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
