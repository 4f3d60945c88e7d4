package org.datasandbox.core.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.crypto.Pem;

/**
 * Verifies a ledger directory: every entry's hash and signature, the chain of previous hashes, strictly
 * increasing sequence numbers, and the signed head, which detects removed entries at the end. Needs only
 * the public key, so auditors can verify a copy offline.
 */
public final class LedgerVerifier {

    private LedgerVerifier() {
    }

    /** Verifies, and also requires the ledger key to be the one whose fingerprint the auditor holds. */
    public static LedgerVerification verify(Path dir, String expectedKeyFingerprint) {
        LedgerVerification result = verify(dir);
        if (expectedKeyFingerprint != null && !expectedKeyFingerprint.equalsIgnoreCase(result.keyFingerprint())) {
            return new LedgerVerification(false, 0, LedgerFormat.GENESIS, result.keyFingerprint(), result.profile(),
                    "the ledger key is not the expected one (fingerprint " + result.keyFingerprint() + ")");
        }
        return result;
    }

    public static LedgerVerification verify(Path dir) {
        return verify(dir, true);
    }

    /** The chain only, without the signed head: what recovery after a crash starts from. */
    static LedgerVerification verifyChain(Path dir) {
        return verify(dir, false);
    }

    private static LedgerVerification verify(Path dir, boolean withHead) {
        CryptoProfile crypto;
        PublicKey key;
        String fingerprint;
        try {
            crypto = CryptoProfile.of(CryptoProfile.Kind.parse(Files.readString(LedgerFormat.profile(dir))));
            key = Pem.readPublicKey(LedgerFormat.publicKey(dir));
            fingerprint = HexFormat.of().formatHex(crypto.hash(key.getEncoded()));
        } catch (IOException | IllegalArgumentException e) {
            return new LedgerVerification(false, 0, LedgerFormat.GENESIS, "", null, "the ledger key or profile is missing or unreadable");
        }
        String previous = LedgerFormat.GENESIS;
        long count = 0;
        List<String> lines;
        try {
            lines = lines(dir);
        } catch (IOException e) {
            return fail(crypto, fingerprint, count, previous, "the ledger file is unreadable or not UTF-8");
        }
        for (String line : lines) {
            long expected = count + 1;
            LedgerEntry entry;
            try {
                entry = LedgerFormat.parse(line);
            } catch (IOException | RuntimeException e) {
                return fail(crypto, fingerprint, count, previous, "entry " + expected + " is malformed");
            }
            if (!LedgerFormat.toLine(entry).equals(line)) {
                // every byte counts: added keys, spacing or re-ordering are changes too
                return fail(crypto, fingerprint, count, previous, "entry " + expected + " is not in canonical form (changed)");
            }
            if (entry.sequence() != expected) {
                return fail(crypto, fingerprint, count, previous,
                        "entry " + expected + " has sequence number " + entry.sequence() + " (removed or reordered entries)");
            }
            if (!entry.previousHash().equals(previous)) {
                return fail(crypto, fingerprint, count, previous, "entry " + expected + " does not chain to the entry before it");
            }
            byte[] hash = crypto.hash(LedgerFormat.canonicalBody(entry));
            if (!HexFormat.of().formatHex(hash).equals(entry.hash())) {
                return fail(crypto, fingerprint, count, previous, "entry " + expected + " was changed (hash mismatch)");
            }
            if (!crypto.verify(key, hash, decode(entry.signature()))) {
                return fail(crypto, fingerprint, count, previous, "entry " + expected + " has an invalid signature");
            }
            previous = entry.hash();
            count = expected;
        }
        String headProblem = withHead ? checkHead(dir, crypto, key, count, previous) : null;
        if (headProblem != null) {
            return fail(crypto, fingerprint, count, previous, headProblem);
        }
        return new LedgerVerification(true, count, previous, fingerprint, crypto.kind(), "");
    }

    static List<LedgerEntry> readEntries(Path dir) throws IOException {
        List<LedgerEntry> entries = new ArrayList<>();
        for (String line : lines(dir)) {
            entries.add(LedgerFormat.parse(line));
        }
        return entries;
    }

    static byte[] headMessage(long seq, String hash) {
        return ("ledger-head:" + seq + ":" + hash).getBytes(StandardCharsets.US_ASCII);
    }

    private static String checkHead(Path dir, CryptoProfile crypto, PublicKey key, long count, String lastHash) {
        Path head = LedgerFormat.head(dir);
        if (!Files.exists(head)) {
            return count == 0 ? null : "the signed head is missing";
        }
        try {
            JsonNode node = LedgerFormat.JSON.readTree(Files.readAllBytes(head));
            long seq = node.get("seq").asLong();
            String hash = node.get("hash").asText();
            byte[] signature = decode(node.get("sig").asText());
            if (!crypto.verify(key, crypto.hash(headMessage(seq, hash)), signature)) {
                return "the signed head has an invalid signature";
            }
            if (seq != count || !hash.equals(lastHash)) {
                return "the ledger ends at entry " + count + " but its signed head records entry " + seq
                        + " (entries removed or appended without signing)";
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return "the signed head is malformed";
        }
    }

    private static List<String> lines(Path dir) throws IOException {
        Path file = LedgerFormat.entries(dir);
        if (!Files.exists(file)) {
            return List.of();
        }
        byte[] bytes = Files.readAllBytes(file);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException("not UTF-8", e);
        }
        if (!text.isEmpty() && !text.endsWith("\n")) {
            text = text + "\n"; // an unterminated last line still has to parse and verify
        }
        return text.lines().toList();
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    private static LedgerVerification fail(CryptoProfile crypto, String fingerprint, long count, String last, String problem) {
        return new LedgerVerification(false, count, last, fingerprint, crypto.kind(), problem);
    }
}
