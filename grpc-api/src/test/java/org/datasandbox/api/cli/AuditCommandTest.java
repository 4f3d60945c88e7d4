package org.datasandbox.api.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.identity.Identity;
import org.datasandbox.core.ledger.EvidenceLedger;
import org.datasandbox.core.ledger.LedgerVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code audit verify} and {@code audit checkpoint} on a ledger the test writes, without a server. */
class AuditCommandTest {
    @TempDir
    Path dataDir;

    private record Run(int code, String out) {
    }

    private static Run sandbox(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int code = new CommandLine(new SandboxCli()).execute(args);
            return new Run(code, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
        }
    }

    private Run verify(String... options) {
        return sandbox(Stream.concat(Stream.of("audit", "verify", "--data-dir", dataDir.toString()), Stream.of(options))
                .toArray(String[]::new));
    }

    private EvidenceLedger ledger(int entries) throws IOException {
        EvidenceLedger ledger = EvidenceLedger.open(dataDir.resolve("ledger"), CryptoProfile.of(CryptoProfile.Kind.SM));
        for (int i = 0; i < entries; i++) {
            ledger.append(Identity.system(), "sandbox.opened", "sandbox", Map.of("n", Integer.toString(i)));
        }
        return ledger;
    }

    @Test
    void checkpoint_exportedAndKept_verifiesUntilTheLedgerIsRolledBack() throws Exception {
        EvidenceLedger ledger = ledger(2);
        Path older = Files.createTempDirectory(dataDir.getParent(), "older");
        for (String name : new String[] {"ledger.jsonl", "head.json"}) {
            Files.copy(dataDir.resolve("ledger").resolve(name), older.resolve(name));
        }
        ledger.append(Identity.system(), "job.submitted", "j1", Map.of());
        Run exported = sandbox("audit", "checkpoint", "--data-dir", dataDir.toString());
        assertThat(exported.code()).isZero();
        Path kept = Files.createTempFile(dataDir.getParent(), "head", ".checkpoint");
        Files.writeString(kept, exported.out());

        assertThat(verify("--expect-head", kept.toString()).code()).isZero();
        String seqHash = "3:" + LedgerVerifier.verify(dataDir.resolve("ledger")).headHash();
        assertThat(verify("--expect-head", seqHash).code()).isZero();

        for (String name : new String[] {"ledger.jsonl", "head.json"}) { // restore the older copy
            Files.copy(older.resolve(name), dataDir.resolve("ledger").resolve(name),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        assertThat(verify().code()).isZero(); // without the checkpoint, the rollback goes unnoticed
        Run rolledBack = verify("--expect-head", kept.toString());
        assertThat(rolledBack.code()).isEqualTo(1);
        assertThat(rolledBack.out()).contains("checkpoint records entry 3");
        assertThat(verify("--expect-head", seqHash).code()).isEqualTo(1);
        assertThat(verify("--expect-head", "not-a-checkpoint").code()).isEqualTo(2);
    }

    @Test
    void verify_ledgerFilesDeleted_failsWithAKeyOrACheckpoint() throws Exception {
        ledger(2);
        String fingerprint = LedgerVerifier.verify(dataDir.resolve("ledger")).keyFingerprint();
        String seqHash = "2:" + LedgerVerifier.verify(dataDir.resolve("ledger")).headHash();
        Files.delete(dataDir.resolve("ledger/ledger.jsonl"));
        Files.delete(dataDir.resolve("ledger/head.json"));
        Run withKey = verify("--expect-key", fingerprint);
        assertThat(withKey.code()).isEqualTo(1);
        assertThat(withKey.out()).contains("empty or missing");
        assertThat(verify("--expect-head", seqHash).code()).isEqualTo(1);
        assertThat(verify().code()).isEqualTo(1);
        assertThat(sandbox("audit", "checkpoint", "--data-dir", dataDir.toString()).code()).isEqualTo(1);
    }
}
