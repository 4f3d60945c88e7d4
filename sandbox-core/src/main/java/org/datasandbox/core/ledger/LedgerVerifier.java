package org.datasandbox.core.ledger;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.crypto.Pem;

/**
 * Verifies a ledger directory: every entry's hash and, where it has one, its signature (a checkpoint: it
 * covers every entry before it through the chain), the chain of previous hashes, strictly increasing
 * sequence numbers, and the signed head, which detects removed entries at the end. Entries after the
 * signed head must be unsigned (a signed one there means the head was rolled back) and are reported as
 * {@link LedgerVerification#unsignedEntries()}; a ledger signed entry by entry has none. Needs only
 * the public key, so auditors can verify a copy offline. Parsing is exact: one canonical JSON object per
 * line, every line ended by {@code \n} and nothing else, canonical base64; any other byte is a change.
 */
public final class LedgerVerifier {

    private LedgerVerifier() {
    }

    /** Verifies, and also requires the ledger key to be the one whose fingerprint the auditor holds. */
    public static LedgerVerification verify(Path dir, String expectedKeyFingerprint) {
        return verify(dir, expectedKeyFingerprint, null);
    }

    /**
     * What an auditor runs: verifies, requires the expected key (if given), and requires the ledger to
     * contain the checkpoint the auditor kept outside the sandbox (if given): entry {@code sequence} must
     * exist and have that hash, so a ledger that was deleted, cut short, rolled back to an older copy or
     * rewritten and re-signed with a key taken from the data directory fails. An empty or missing ledger
     * always fails here: a sandbox that ever opened has recorded that it did.
     */
    public static LedgerVerification verify(Path dir, String expectedKeyFingerprint, Checkpoint expectedHead) {
        Scan scan = scan(dir, true);
        LedgerVerification result = scan.result();
        if (expectedKeyFingerprint != null && !expectedKeyFingerprint.equalsIgnoreCase(result.keyFingerprint())) {
            return new LedgerVerification(false, 0, LedgerFormat.GENESIS, result.keyFingerprint(), result.profile(),
                    "the ledger key is not the expected one (fingerprint " + result.keyFingerprint() + ")");
        }
        if (!result.valid()) {
            return result;
        }
        if (result.entries() == 0) {
            return failed(result, "the ledger is empty or missing, but a sandbox that opened it has recorded entries "
                    + "(deleted?)");
        }
        if (expectedHead != null) {
            if (expectedHead.signed() && !expectedHead.verifies(scan.crypto(), scan.key())) {
                return failed(result, "the checkpoint " + expectedHead + " was not signed by this ledger's key "
                        + "(the key was replaced?)");
            }
            if (result.entries() < expectedHead.sequence()) {
                return failed(result, "the ledger ends at entry " + result.entries() + " but the checkpoint records entry "
                        + expectedHead.sequence() + " (entries deleted or an older ledger restored)");
            }
            String hash = scan.hashAt(expectedHead.sequence());
            if (hash == null) {
                return failed(result, "the checkpoint records entry " + expectedHead.sequence() + ", which was archived: "
                        + "verify it against the archive's extract");
            }
            if (!hash.equals(expectedHead.hash())) {
                return failed(result, "entry " + expectedHead.sequence() + " is not the one the checkpoint records "
                        + "(the ledger was rewritten)");
            }
        }
        return result;
    }

    public static LedgerVerification verify(Path dir) {
        return scan(dir, true).result();
    }

    /** The chain only, without the signed head: what recovery after a crash starts from. */
    static LedgerVerification verifyChain(Path dir) {
        return scan(dir, false).result();
    }

    /** The verified head of a valid ledger, for auditors to keep. */
    public static Checkpoint checkpoint(Path dir) throws IOException {
        LedgerVerification result = verify(dir);
        if (!result.valid()) {
            throw new IOException("the evidence ledger does not verify: " + result.problem());
        }
        if (result.entries() == 0) {
            throw new IOException("the evidence ledger is empty");
        }
        return Checkpoint.parseJson(Files.readAllBytes(LedgerFormat.head(dir)));
    }

    /** A verification outcome with what checking a checkpoint needs. */
    private record Scan(LedgerVerification result, CryptoProfile crypto, PublicKey key, List<String> hashes,
                        Checkpoint base) {
        /** The hash of entry {@code sequence}, or null when it was archived (before the base). */
        String hashAt(long sequence) {
            return hashAt(base, hashes, sequence);
        }

        static String hashAt(Checkpoint base, List<String> hashes, long sequence) {
            long from = base == null ? 0 : base.sequence();
            if (sequence < from) {
                return null;
            }
            if (sequence == from) {
                return base == null ? LedgerFormat.GENESIS : base.hash();
            }
            return hashes.get((int) (sequence - from - 1));
        }
    }

    /**
     * The signed base of a pruned ledger (the last archived entry), or null when nothing was archived.
     * Throws with the problem when it is there but does not verify.
     */
    private static Checkpoint readBase(Path dir, CryptoProfile crypto, PublicKey key) throws IOException {
        Path file = LedgerFormat.base(dir);
        if (!Files.exists(file)) {
            return null;
        }
        Checkpoint base;
        try {
            base = Checkpoint.parseJson(Files.readAllBytes(file));
        } catch (RuntimeException e) {
            throw new IOException("the archive base is malformed or not in canonical form");
        }
        if (!base.verifies(crypto, key)) {
            throw new IOException("the archive base has an invalid signature");
        }
        return base;
    }

    private static Scan scan(Path dir, boolean withHead) {
        CryptoProfile crypto;
        PublicKey key;
        String fingerprint;
        try {
            crypto = CryptoProfile.of(CryptoProfile.Kind.parse(Files.readString(LedgerFormat.profile(dir))));
            key = Pem.readPublicKey(LedgerFormat.publicKey(dir));
            fingerprint = HexFormat.of().formatHex(crypto.hash(key.getEncoded()));
        } catch (IOException | IllegalArgumentException e) {
            return new Scan(new LedgerVerification(false, 0, LedgerFormat.GENESIS, "", null,
                    "the ledger key or profile is missing or unreadable"), null, null, List.of(), null);
        }
        List<String> hashes = new ArrayList<>();
        String previous = LedgerFormat.GENESIS;
        long count = 0;
        Checkpoint base;
        try {
            base = readBase(dir, crypto, key);
        } catch (IOException e) {
            return new Scan(fail(crypto, fingerprint, count, previous, e.getMessage()), crypto, key, hashes, null);
        }
        if (base != null) { // entries up to the base were archived as a verifiable extract
            count = base.sequence();
            previous = base.hash();
        }
        Lines lines;
        try {
            lines = lines(dir);
        } catch (IOException e) {
            return new Scan(fail(crypto, fingerprint, count, previous, "the ledger file is unreadable or not UTF-8"),
                    crypto, key, hashes, base);
        }
        String problem = null;
        long lastSigned = 0;
        int lineNumber = 0;
        for (String line : lines.lines()) {
            long expected = count + 1;
            lineNumber++;
            problem = checkLine(line, lineNumber, lineNumber == lines.lines().size() && !lines.terminated());
            LedgerEntry entry = null;
            if (problem == null) {
                try {
                    entry = LedgerFormat.parse(line);
                } catch (IOException | RuntimeException e) {
                    problem = "entry " + expected + " is malformed";
                }
            }
            if (problem == null) {
                problem = checkEntry(crypto, key, entry, line, expected, previous);
            }
            if (problem != null) {
                break;
            }
            previous = entry.hash();
            hashes.add(previous);
            count = expected;
            if (!entry.signature().isEmpty()) {
                lastSigned = expected;
            }
        }
        long unsigned = 0;
        if (problem == null && withHead) {
            HeadCheck head = checkHead(dir, crypto, key, count, base, hashes, lastSigned);
            problem = head.problem();
            unsigned = problem == null ? count - head.sequence() : 0;
        }
        LedgerVerification result = problem == null
                ? new LedgerVerification(true, count, previous, fingerprint, crypto.kind(), "", unsigned)
                : fail(crypto, fingerprint, count, previous, problem);
        return new Scan(result, crypto, key, hashes, base);
    }

    /** What is wrong with the line ends of one line, or null. */
    private static String checkLine(String line, int expected, boolean unterminated) {
        if (line.indexOf('\r') >= 0) {
            return "line " + expected + " contains a carriage return (lines end with \\n only)";
        }
        if (unterminated) {
            return "line " + expected + " has no line end (the file must end with \\n)";
        }
        return null;
    }

    /** What is wrong with one parsed entry, or null. */
    private static String checkEntry(CryptoProfile crypto, PublicKey key, LedgerEntry entry, String line, long expected,
                                     String previous) {
        if (!LedgerFormat.toLine(entry).equals(line)) {
            // every byte counts: added keys, spacing or re-ordering are changes too
            return "entry " + expected + " is not in canonical form (changed)";
        }
        if (entry.sequence() != expected) {
            return "entry " + expected + " has sequence number " + entry.sequence() + " (removed or reordered entries)";
        }
        if (!entry.previousHash().equals(previous)) {
            return "entry " + expected + " does not chain to the entry before it";
        }
        byte[] hash = crypto.hash(LedgerFormat.canonicalBody(entry));
        if (!HexFormat.of().formatHex(hash).equals(entry.hash())) {
            return "entry " + expected + " was changed (hash mismatch)";
        }
        if (entry.signature().isEmpty()) {
            return null; // covered by the next checkpoint through the chain, or part of the unsigned tail
        }
        byte[] signature = Base64Strict.decode(entry.signature());
        if (signature == null) {
            return "entry " + expected + " has a signature that is not canonical base64 (changed)";
        }
        if (!crypto.verify(key, hash, signature)) {
            return "entry " + expected + " has an invalid signature";
        }
        return null;
    }

    static List<LedgerEntry> readEntries(Path dir) throws IOException {
        List<LedgerEntry> entries = new ArrayList<>();
        for (String line : lines(dir).lines()) {
            entries.add(LedgerFormat.parse(line));
        }
        return entries;
    }

    static byte[] headMessage(long seq, String hash) {
        return Checkpoint.message(seq, hash);
    }

    /** What is wrong with the signed head (null when nothing), and the entry it records. */
    private record HeadCheck(String problem, long sequence) {
    }

    private static HeadCheck checkHead(Path dir, CryptoProfile crypto, PublicKey key, long count, Checkpoint base,
                                       List<String> hashes, long lastSigned) {
        Path head = LedgerFormat.head(dir);
        if (!Files.exists(head)) {
            return new HeadCheck(count == 0 ? null : "the signed head is missing", 0);
        }
        Checkpoint checkpoint;
        try {
            checkpoint = Checkpoint.parseJson(Files.readAllBytes(head));
        } catch (IOException | RuntimeException e) {
            return new HeadCheck("the signed head is malformed or not in canonical form", 0);
        }
        if (!checkpoint.verifies(crypto, key)) {
            return new HeadCheck("the signed head has an invalid signature", 0);
        }
        long seq = checkpoint.sequence();
        if (seq > count) {
            return new HeadCheck("the ledger ends at entry " + count + " but its signed head records entry " + seq
                    + " (entries removed or appended without signing)", seq);
        }
        String expected = Scan.hashAt(base, hashes, seq);
        if (expected == null) {
            return new HeadCheck("the signed head records entry " + seq + ", which was archived (a head older than "
                    + "the archive base " + base + ")", seq);
        }
        if (!checkpoint.hash().equals(expected)) {
            return new HeadCheck("the ledger ends at entry " + count + " but its signed head records entry " + seq
                    + " with another hash (entries removed or appended without signing)", seq);
        }
        if (lastSigned > seq) {
            return new HeadCheck("entry " + lastSigned + " is signed but the signed head records entry " + seq
                    + " (the head was rolled back, or a crash came between a checkpoint and its head)", seq);
        }
        return new HeadCheck(null, seq);
    }

    /** The lines of the ledger file split at {@code \n} only, and whether the last one was ended. */
    private record Lines(List<String> lines, boolean terminated) {
    }

    private static Lines lines(Path dir) throws IOException {
        Path file = LedgerFormat.entries(dir);
        if (!Files.exists(file)) {
            return new Lines(List.of(), true);
        }
        byte[] bytes = Files.readAllBytes(file);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException("not UTF-8", e);
        }
        if (text.isEmpty()) {
            return new Lines(List.of(), true);
        }
        boolean terminated = text.endsWith("\n");
        String body = terminated ? text.substring(0, text.length() - 1) : text;
        return new Lines(List.of(body.split("\n", -1)), terminated);
    }

    private static LedgerVerification fail(CryptoProfile crypto, String fingerprint, long count, String last, String problem) {
        return new LedgerVerification(false, count, last, fingerprint, crypto.kind(), problem);
    }

    private static LedgerVerification failed(LedgerVerification result, String problem) {
        return new LedgerVerification(false, result.entries(), result.headHash(), result.keyFingerprint(),
                result.profile(), problem);
    }
}
