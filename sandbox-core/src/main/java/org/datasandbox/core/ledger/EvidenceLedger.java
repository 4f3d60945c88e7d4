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
 * Appends hash-chained entries, signed as its {@link CheckpointPolicy} says (every entry, or batched at
 * checkpoints). One writer per data directory; appends are serialized and each reaches the operating system
 * before it returns, forced to disk ({@code fdatasync}) then too or at the next checkpoint as the policy says;
 * the signed head is replaced at each checkpoint.
 */
public final class EvidenceLedger {
    /** One daemon thread for every ledger's delayed checkpoints: they are rare and short. */
    private static final java.util.concurrent.ScheduledThreadPoolExecutor TIMER = timer();

    private final Path dir;
    private final CryptoProfile crypto;
    private final PrivateKey signingKey;
    private final CheckpointPolicy policy;
    private long sequence;
    private String lastHash;
    /** The entry the signed head records. */
    private long headSequence;
    private long lastSignedNanos = System.nanoTime();
    private java.util.concurrent.ScheduledFuture<?> pendingCheckpoint;

    private EvidenceLedger(Path dir, CryptoProfile crypto, PrivateKey signingKey, long sequence, String lastHash) {
        this(dir, crypto, signingKey, sequence, lastHash, CheckpointPolicy.EVERY_ENTRY);
    }

    private EvidenceLedger(Path dir, CryptoProfile crypto, PrivateKey signingKey, long sequence, String lastHash,
                           CheckpointPolicy policy) {
        this.dir = dir;
        this.crypto = crypto;
        this.signingKey = signingKey;
        this.sequence = sequence;
        this.lastHash = lastHash;
        this.headSequence = sequence;
        this.policy = policy;
    }

    private static java.util.concurrent.ScheduledThreadPoolExecutor timer() {
        java.util.concurrent.ScheduledThreadPoolExecutor timer = new java.util.concurrent.ScheduledThreadPoolExecutor(1,
                task -> {
                    Thread thread = new Thread(task, "ledger-checkpoints");
                    thread.setDaemon(true);
                    return thread;
                });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /**
     * Opens the ledger of a directory, creating its key on first use. Refuses to open a ledger whose
     * chain does not verify: appending to a broken chain would hide the break.
     */
    public static EvidenceLedger open(Path dir, CryptoProfile crypto) throws IOException {
        return open(dir, crypto, false);
    }

    /**
     * As {@link #open(Path, CryptoProfile)}, and refuses a ledger that is missing, empty, or does not
     * contain the checkpoint of its anchor (the copy of the last head kept beside the ledger directory):
     * starting a new chain there would hide a deletion or a rollback.
     *
     * @param initialisedBefore whether the caller knows, from a second place, that this ledger has
     *     recorded entries before (then an empty ledger is refused even without an anchor)
     */
    public static EvidenceLedger open(Path dir, CryptoProfile crypto, boolean initialisedBefore) throws IOException {
        return open(dir, crypto, initialisedBefore, LedgerKeySource.pemFile(dir));
    }

    /**
     * As {@link #open(Path, CryptoProfile, boolean)}, with the signing key from {@code keys} (the sandbox's
     * key custody) instead of a file in the ledger directory. A key that does not match the directory's
     * {@code ledger.pub} is refused: entries signed by it would not verify.
     */
    public static EvidenceLedger open(Path dir, CryptoProfile crypto, boolean initialisedBefore, LedgerKeySource keys)
            throws IOException {
        return open(dir, crypto, initialisedBefore, keys, CheckpointPolicy.EVERY_ENTRY);
    }

    /**
     * As {@link #open(Path, CryptoProfile, boolean, LedgerKeySource)}, signing as {@code policy} says. An
     * unsigned tail left by a stop without close (a crash) is signed at once and recorded as
     * {@code ledger.tail.signed}, so an auditor sees that those entries were signed only at the restart.
     */
    public static EvidenceLedger open(Path dir, CryptoProfile crypto, boolean initialisedBefore, LedgerKeySource keys,
                                      CheckpointPolicy policy) throws IOException {
        Checkpoint anchor = readAnchor(dir);
        boolean hadKey = keys.exists();
        if ((anchor != null || initialisedBefore) && !hadKey) {
            throw new IOException("the evidence ledger or its signing key is missing but this data directory recorded "
                    + "one before (restore it from a backup, or have an auditor look)");
        }
        Files.createDirectories(dir);
        KeyPair pair = keys.loadOrCreate(crypto);
        if (!hadKey || !Files.exists(LedgerFormat.publicKey(dir))) {
            Files.writeString(LedgerFormat.profile(dir), crypto.kind().name() + "\n");
            Pem.writePublicKey(LedgerFormat.publicKey(dir), pair.getPublic());
        } else if (!java.util.Arrays.equals(Pem.readPublicKey(LedgerFormat.publicKey(dir)).getEncoded(),
                pair.getPublic().getEncoded())) {
            throw new IOException("the ledger signing key in custody is not the key of " + LedgerFormat.publicKey(dir)
                    + ": this ledger was signed by another key");
        }
        LedgerVerification state = LedgerVerifier.verify(dir);
        String recovered = null;
        if (!state.valid()) {
            recovered = recover(dir, crypto, pair.getPrivate());
            state = LedgerVerifier.verify(dir);
            if (recovered == null || !state.valid()) {
                throw new IOException("the evidence ledger does not verify: " + state.problem());
            }
        }
        if (state.profile() != crypto.kind()) {
            throw new IOException("the evidence ledger uses the " + state.profile() + " profile, not " + crypto.kind());
        }
        if (anchor != null) {
            LedgerVerification anchored = LedgerVerifier.verify(dir, null, anchor);
            if (!anchored.valid()) {
                throw new IOException("the evidence ledger is shorter than or differs from its last checkpoint "
                        + anchor + ": " + anchored.problem());
            }
        } else if (initialisedBefore && state.entries() == 0) {
            throw new IOException("the evidence ledger is empty but this data directory recorded entries before "
                    + "(restore it from a backup, or have an auditor look)");
        }
        EvidenceLedger ledger = new EvidenceLedger(dir, crypto, pair.getPrivate(), state.entries(), state.headHash(),
                policy);
        if (state.entries() > 0) {
            ledger.writeHead(state.entries(), state.headHash()); // brings an anchor that was one write behind up to date
        }
        if (recovered != null) {
            ledger.append(Identity.system(), "ledger.recovered", "ledger", Map.of("reason", recovered));
        }
        if (state.unsignedEntries() > 0) {
            ledger.append(Identity.system(), "ledger.tail.signed", "ledger", Map.of(
                    "entries", Long.toString(state.unsignedEntries()),
                    "from", Long.toString(state.entries() - state.unsignedEntries() + 1)));
        }
        return ledger;
    }

    /**
     * Repairs what a crash between two writes leaves, and nothing else: an unfinished last line (set
     * aside in a {@code partial-*} file, not deleted) and a signed head one entry behind a chain that
     * verifies. Returns what was repaired, or null when the ledger needs an auditor instead.
     */
    private static String recover(Path dir, CryptoProfile crypto, PrivateKey signingKey) throws IOException {
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
        int pruned = LedgerArchive.prune(dir);
        if (pruned > 0) {
            repairs.add("an interrupted archive's " + pruned + " entries were cut from the live file");
        }
        LedgerVerification chain = LedgerVerifier.verifyChain(dir);
        if (!chain.valid()) {
            return null;
        }
        LedgerVerification full = LedgerVerifier.verify(dir);
        if (!full.valid()) {
            long headSeq = headSequence(dir);
            if (!onlyTheLastEntrySignedAfter(dir, headSeq, chain.entries())) {
                return null;
            }
            EvidenceLedger signer = new EvidenceLedger(dir, crypto, signingKey, chain.entries(), chain.headHash());
            signer.writeHead(chain.entries(), chain.headHash());
            repairs.add(chain.entries() - headSeq == 1 ? "the signed head was one entry behind"
                    : "the signed head was behind the last checkpoint entry");
        }
        return repairs.isEmpty() ? null : String.join("; ", repairs);
    }

    /**
     * Whether a crash between a checkpoint entry and its head explains the state: the head is behind, the
     * last entry is signed, and nothing between them is (a signed entry there means a rolled-back head).
     */
    private static boolean onlyTheLastEntrySignedAfter(Path dir, long headSeq, long entries) throws IOException {
        if (headSeq < 0 || headSeq >= entries) {
            return false;
        }
        List<LedgerEntry> all = LedgerVerifier.readEntries(dir);
        long offset = entries - all.size(); // entries archived before the live file
        if (headSeq < offset) {
            return false;
        }
        for (long seq = headSeq + 1; seq <= entries; seq++) {
            boolean signed = !all.get((int) (seq - offset - 1)).signature().isEmpty();
            if (signed != (seq == entries)) {
                return false;
            }
        }
        return true;
    }

    private static Checkpoint readAnchor(Path dir) throws IOException {
        Path anchor = LedgerFormat.anchor(dir);
        if (!Files.exists(anchor)) {
            return null;
        }
        try {
            return Checkpoint.parseJson(Files.readAllBytes(anchor));
        } catch (IllegalArgumentException e) {
            throw new IOException("the ledger anchor " + anchor.getFileName() + " is unreadable: " + e.getMessage());
        }
    }

    private static long headSequence(Path dir) {
        try {
            return LedgerFormat.JSON.readTree(Files.readAllBytes(LedgerFormat.head(dir))).get("seq").asLong();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Signs a document with the ledger key (base64 of the signature over the document's hash), for records kept
     * outside the chain that an auditor verifies offline with {@code ledger.pub}, such as deletion certificates.
     */
    public String signDocument(byte[] document) {
        return Base64.getEncoder().encodeToString(crypto.sign(signingKey, crypto.hash(document)));
    }

    public CryptoProfile crypto() {
        return crypto;
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
        boolean checkpoint = checkpointDue(next);
        String signature = checkpoint ? Base64.getEncoder().encodeToString(crypto.sign(signingKey, hashBytes)) : "";
        LedgerEntry entry = new LedgerEntry(next, unsigned.time(), unsigned.actor(), unsigned.role(),
                unsigned.certificate(), action, subject, unsigned.details(), lastHash, hash, signature);
        try {
            writeLine(LedgerFormat.toLine(entry));
            if (checkpoint) {
                writeHead(next, hash);
            }
        } catch (IOException e) {
            throw new IllegalStateException("the evidence ledger could not be written", e);
        }
        sequence = next;
        lastHash = hash;
        if (!checkpoint) {
            scheduleCheckpoint();
        }
        return entry;
    }

    /** Whether entry {@code next} is a checkpoint: it is signed and the head moves to it. */
    private boolean checkpointDue(long next) {
        return policy.signsEveryEntry() || next - headSequence >= policy.everyEntries()
                || System.nanoTime() - lastSignedNanos >= policy.maxDelay().toNanos();
    }

    private void scheduleCheckpoint() {
        if (pendingCheckpoint == null || pendingCheckpoint.isDone()) {
            pendingCheckpoint = TIMER.schedule(this::checkpointQuietly, policy.maxDelay().toMillis(),
                    java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    private void checkpointQuietly() {
        try {
            checkpoint();
        } catch (RuntimeException e) {
            // the next append or checkpoint reports a ledger that cannot be written; a timer has no caller
        }
    }

    /**
     * Signs the head over every entry appended so far, if some are not yet covered: what a read that must
     * be proven (a verification, an export) calls first. Returns the number of entries it covered.
     */
    public synchronized long checkpoint() {
        long covered = sequence - headSequence;
        if (covered > 0) {
            try {
                writeHead(sequence, lastHash);
            } catch (IOException e) {
                throw new IllegalStateException("the evidence ledger's head could not be written", e);
            }
        }
        return covered;
    }

    /** Signs the unsigned tail and stops the delayed checkpoint: what a clean shutdown calls. */
    public synchronized void close() {
        checkpoint();
        if (pendingCheckpoint != null) {
            pendingCheckpoint.cancel(false);
        }
    }

    /**
     * Archives entries up to {@code through} as a verifiable extract in {@code extract} and removes them from
     * the live ledger, recording {@code ledger.archived}; refused (and recorded as
     * {@code ledger.archive.refused}) when any of them is younger than {@code retention}'s minimum. Nothing
     * else removes entries.
     *
     * @param now the sandbox's clock (never a caller's): an entry's age is measured from it
     * @throws org.datasandbox.core.SandboxException {@code POLICY_DENIED} for an entry too young,
     *     {@code INVALID_ARGUMENT} for a range not archivable or an extract directory that exists
     */
    public synchronized LedgerEntry archive(Identity actor, long through, Instant now, RetentionPolicy retention,
                                            Path extract) throws IOException {
        checkpoint();
        LedgerArchive.Archived archived;
        try {
            archived = LedgerArchive.archive(dir, through, now, retention, extract,
                    (seq, hash) -> Checkpoint.sign(crypto, signingKey, seq, hash));
        } catch (org.datasandbox.core.SandboxException e) {
            append(actor, "ledger.archive.refused", "ledger", Map.of("through", Long.toString(through),
                    "code", e.code().name(), "minimum", retention.minimum().toString()));
            throw e;
        }
        return append(actor, "ledger.archived", "ledger", Map.of("from", Long.toString(archived.from()),
                "through", Long.toString(archived.through()), "hash", archived.base().hash(),
                "extract", extract.getFileName().toString(), "minimum", retention.minimum().toString()));
    }

    /** How this ledger signs. */
    public CheckpointPolicy checkpointPolicy() {
        return policy;
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
            ByteBuffer buffer = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            if (policy.syncEachAppend()) {
                channel.force(false);
            }
        }
    }

    /** Forces the entries to disk before a checkpoint signs them (when appends are not synced each). */
    private void syncEntries() throws IOException {
        Path entries = LedgerFormat.entries(dir);
        if (policy.syncEachAppend() || !Files.exists(entries)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(entries, StandardOpenOption.WRITE)) {
            channel.force(false);
        }
    }

    /** Replaces the signed head, then its copy in the anchor (never ahead of the head: see open). */
    private void writeHead(long seq, String hash) throws IOException {
        syncEntries();
        byte[] checkpoint = Checkpoint.sign(crypto, signingKey, seq, hash).toJson();
        replace(LedgerFormat.head(dir), checkpoint);
        replace(LedgerFormat.anchor(dir), checkpoint);
        headSequence = seq;
        lastSignedNanos = System.nanoTime();
    }

    private static void replace(Path file, byte[] content) throws IOException {
        Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
        Files.write(temp, content);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
