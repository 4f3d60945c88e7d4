package org.datasandbox.core.ledger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.crypto.Pem;
import org.datasandbox.core.identity.Identity;

/**
 * Appends signed, hash-chained entries. One writer per data directory; appends are serialized and
 * forced to disk before they return, and the signed head is replaced after each one.
 */
public final class EvidenceLedger {
    private final Path dir;
    private final CryptoProfile crypto;
    private final PrivateKey signingKey;
    private long sequence;
    private String lastHash;

    private EvidenceLedger(Path dir, CryptoProfile crypto, PrivateKey signingKey, long sequence, String lastHash) {
        this.dir = dir;
        this.crypto = crypto;
        this.signingKey = signingKey;
        this.sequence = sequence;
        this.lastHash = lastHash;
    }

    /**
     * Opens the ledger of a directory, creating its key on first use. Refuses to open a ledger whose
     * chain does not verify: appending to a broken chain would hide the break.
     */
    public static EvidenceLedger open(Path dir, CryptoProfile crypto) throws IOException {
        Files.createDirectories(dir);
        if (!Files.exists(LedgerFormat.privateKey(dir))) {
            KeyPair pair = crypto.newSigningKeyPair();
            Files.writeString(LedgerFormat.profile(dir), crypto.kind().name() + "\n");
            Pem.writePublicKey(LedgerFormat.publicKey(dir), pair.getPublic());
            Pem.writePrivateKey(LedgerFormat.privateKey(dir), pair.getPrivate());
        }
        LedgerVerification state = LedgerVerifier.verify(dir);
        String recovered = null;
        if (!state.valid()) {
            recovered = recover(dir, crypto);
            state = LedgerVerifier.verify(dir);
            if (recovered == null || !state.valid()) {
                throw new IOException("the evidence ledger does not verify: " + state.problem());
            }
        }
        if (state.profile() != crypto.kind()) {
            throw new IOException("the evidence ledger uses the " + state.profile() + " profile, not " + crypto.kind());
        }
        EvidenceLedger ledger = new EvidenceLedger(dir, crypto, Pem.readPrivateKey(LedgerFormat.privateKey(dir)),
                state.entries(), state.headHash());
        if (recovered != null) {
            ledger.append(Identity.system(), "ledger.recovered", "ledger", Map.of("reason", recovered));
        }
        return ledger;
    }

    /**
     * Repairs what a crash between two writes leaves, and nothing else: an unfinished last line (set
     * aside in a {@code partial-*} file, not deleted) and a signed head one entry behind a chain that
     * verifies. Returns what was repaired, or null when the ledger needs an auditor instead.
     */
    private static String recover(Path dir, CryptoProfile crypto) throws IOException {
        List<String> repairs = new java.util.ArrayList<>();
        Path entries = LedgerFormat.entries(dir);
        if (Files.exists(entries)) {
            byte[] bytes = Files.readAllBytes(entries);
            if (bytes.length > 0 && bytes[bytes.length - 1] != '\n') {
                int end = bytes.length - 1;
                while (end >= 0 && bytes[end] != '\n') {
                    end--;
                }
                Files.write(dir.resolve("partial-" + System.currentTimeMillis() + ".bin"),
                        java.util.Arrays.copyOfRange(bytes, end + 1, bytes.length));
                Files.write(entries, java.util.Arrays.copyOf(bytes, end + 1));
                repairs.add("an unfinished last entry was set aside");
            }
        }
        LedgerVerification chain = LedgerVerifier.verifyChain(dir);
        if (!chain.valid()) {
            return null;
        }
        LedgerVerification full = LedgerVerifier.verify(dir);
        if (!full.valid()) {
            long headSeq = headSequence(dir);
            if (headSeq != chain.entries() - 1) {
                return null;
            }
            EvidenceLedger signer = new EvidenceLedger(dir, crypto, Pem.readPrivateKey(LedgerFormat.privateKey(dir)),
                    chain.entries(), chain.headHash());
            signer.writeHead(chain.entries(), chain.headHash());
            repairs.add("the signed head was one entry behind");
        }
        return repairs.isEmpty() ? null : String.join("; ", repairs);
    }

    private static long headSequence(Path dir) {
        try {
            return LedgerFormat.JSON.readTree(Files.readAllBytes(LedgerFormat.head(dir))).get("seq").asLong();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    public Path directory() {
        return dir;
    }

    /** Appends one entry and returns it. {@code details} must hold no data values. */
    public LedgerEntry append(Identity actor, String action, String subject, Map<String, String> details) {
        return append(actor.name(), actor.role().label(), actor.certificateSerial(), action, subject, details);
    }

    /** Records an action by a caller who could not be identified (no or an untrusted certificate). */
    public LedgerEntry appendUnauthenticated(String action, String subject, Map<String, String> details) {
        return append("unauthenticated", "none", "none", action, subject, details);
    }

    private synchronized LedgerEntry append(String actor, String role, String certificate, String action,
                                            String subject, Map<String, String> details) {
        long next = sequence + 1;
        LedgerEntry unsigned = new LedgerEntry(next, Instant.now().truncatedTo(ChronoUnit.MILLIS).toString(),
                actor, role, certificate, action, subject, new TreeMap<>(details), lastHash, "", "");
        byte[] hashBytes = crypto.hash(LedgerFormat.canonicalBody(unsigned));
        String hash = HexFormat.of().formatHex(hashBytes);
        String signature = Base64.getEncoder().encodeToString(crypto.sign(signingKey, hashBytes));
        LedgerEntry entry = new LedgerEntry(next, unsigned.time(), unsigned.actor(), unsigned.role(),
                unsigned.certificate(), action, subject, unsigned.details(), lastHash, hash, signature);
        try {
            writeLine(LedgerFormat.toLine(entry));
            writeHead(next, hash);
        } catch (IOException e) {
            throw new IllegalStateException("the evidence ledger could not be written", e);
        }
        sequence = next;
        lastHash = hash;
        return entry;
    }

    public synchronized long size() {
        return sequence;
    }

    /** Reads every entry, for auditors and tests. */
    public synchronized List<LedgerEntry> entries() throws IOException {
        return LedgerVerifier.readEntries(dir);
    }

    private void writeLine(String line) throws IOException {
        try (FileChannel channel = FileChannel.open(LedgerFormat.entries(dir),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            channel.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
            channel.force(false);
        }
    }

    private void writeHead(long seq, String hash) throws IOException {
        Path temp = Files.createTempFile(dir, ".head", ".tmp");
        Files.write(temp, Checkpoint.sign(crypto, signingKey, seq, hash).toJson());
        Files.move(temp, LedgerFormat.head(dir), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
