package org.datasandbox.core.ledger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.datasandbox.core.ErrorCode;
import org.datasandbox.core.SandboxException;

/**
 * Moves the oldest entries of a ledger out of the live file, and only as a verifiable extract: a ledger
 * directory of its own (the archived lines byte for byte, the archive base before them if any, a head
 * signed over the last one, the public key and profile) that {@link LedgerVerifier#verify(Path)} verifies
 * offline. The live ledger keeps the same signed checkpoint as its {@code base.json} and continues after it,
 * so the chain across the cut stays provable: the extract's head and the live base are the same statement.
 * Entries younger than the retention minimum are refused.
 */
final class LedgerArchive {

    private LedgerArchive() {
    }

    /** The archived range and the checkpoint that joins the extract to the live ledger. */
    record Archived(long from, long through, Checkpoint base) {
    }

    /**
     * Archives entries up to {@code through} into {@code extract} (which must not exist) and prunes them.
     * The caller holds the ledger's lock and has checkpointed it, so the head covers every entry.
     */
    static Archived archive(Path dir, long through, Instant now, RetentionPolicy retention, Path extract,
                            java.util.function.BiFunction<Long, String, Checkpoint> sign) throws IOException {
        LedgerVerification state = LedgerVerifier.verify(dir);
        if (!state.valid()) {
            throw new IOException("the evidence ledger does not verify: " + state.problem());
        }
        List<String> lines = Files.readAllLines(LedgerFormat.entries(dir), StandardCharsets.UTF_8);
        long first = state.entries() - lines.size() + 1;
        if (through < first || through >= state.entries()) {
            throw SandboxException.invalid("entries " + first + " to " + (state.entries() - 1)
                    + " may be archived (the last entry stays); provided value: " + through);
        }
        Instant cutoff = retention.cutoff(now);
        List<String> archived = new ArrayList<>();
        String hash = null;
        for (int i = 0; i <= through - first; i++) {
            LedgerEntry entry = LedgerFormat.parse(lines.get(i));
            if (!Instant.parse(entry.time()).isBefore(cutoff)) {
                throw new SandboxException(ErrorCode.POLICY_DENIED, "Ledger entry " + entry.sequence() + " is from "
                        + entry.time() + ", younger than the retention minimum of " + retention.minimum()
                        + " (Art. 18): it may be neither archived nor deleted before " + cutoffFor(entry, retention),
                        Map.of("rule", "ledger.retention", "entry", Long.toString(entry.sequence())));
            }
            archived.add(lines.get(i));
            hash = entry.hash();
        }
        if (Files.exists(extract)) {
            throw SandboxException.invalid("the archive extract's directory exists already");
        }
        Checkpoint base = sign.apply(through, hash);
        writeExtract(dir, extract, archived, base);
        if (!LedgerVerifier.verify(extract).valid()) {
            throw new IOException("the archive extract does not verify: " + LedgerVerifier.verify(extract).problem());
        }
        // the base first: a crash before the file is cut leaves lines that the next open drops (see prune)
        replace(LedgerFormat.base(dir), base.toJson());
        prune(dir);
        return new Archived(first, through, base);
    }

    private static String cutoffFor(LedgerEntry entry, RetentionPolicy retention) {
        return Instant.parse(entry.time()).atOffset(java.time.ZoneOffset.UTC).plus(retention.minimum()).toInstant()
                .toString();
    }

    private static void writeExtract(Path dir, Path extract, List<String> archived, Checkpoint head) throws IOException {
        Files.createDirectories(extract);
        Files.copy(LedgerFormat.publicKey(dir), LedgerFormat.publicKey(extract));
        Files.copy(LedgerFormat.profile(dir), LedgerFormat.profile(extract));
        if (Files.exists(LedgerFormat.base(dir))) {
            Files.copy(LedgerFormat.base(dir), LedgerFormat.base(extract));
        }
        Files.write(LedgerFormat.entries(extract), archived, StandardCharsets.UTF_8);
        Files.write(LedgerFormat.head(extract), head.toJson());
    }

    /**
     * Drops the lines the archive base covers from the live file (atomically: a new file moved into place).
     * Also what open runs after a crash between writing the base and cutting the file. Returns how many.
     */
    static int prune(Path dir) throws IOException {
        Path baseFile = LedgerFormat.base(dir);
        Path entries = LedgerFormat.entries(dir);
        if (!Files.exists(baseFile) || !Files.exists(entries)) {
            return 0;
        }
        Checkpoint base = Checkpoint.parseJson(Files.readAllBytes(baseFile));
        List<String> lines = Files.readAllLines(entries, StandardCharsets.UTF_8);
        int drop = 0;
        while (drop < lines.size() && LedgerFormat.parse(lines.get(drop)).sequence() <= base.sequence()) {
            drop++;
        }
        if (drop == 0 || !LedgerFormat.parse(lines.get(drop - 1)).hash().equals(base.hash())) {
            return 0; // nothing to drop, or lines the base does not cover: left for the verifier to report
        }
        StringBuilder rest = new StringBuilder();
        for (String line : lines.subList(drop, lines.size())) {
            rest.append(line).append('\n');
        }
        replace(entries, rest.toString().getBytes(StandardCharsets.UTF_8));
        return drop;
    }

    private static void replace(Path file, byte[] content) throws IOException {
        Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
        Files.write(temp, content, java.nio.file.StandardOpenOption.SYNC);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
