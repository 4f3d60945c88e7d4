package org.datasandbox.core.ledger;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.HexFormat;
import java.util.List;
import org.datasandbox.core.crypto.CryptoProfile;

/**
 * The ledger's lines for readers outside this package (reports, audit extracts): reading a directory's entries,
 * and checking one line on its own (canonical form and hash) the way {@link LedgerVerifier} checks each line.
 */
public final class LedgerLines {
    /** The previous hash of the first entry. */
    public static final String GENESIS = LedgerFormat.GENESIS;

    private LedgerLines() {
    }

    /** Every entry of a ledger directory, in order (verify the directory first). */
    public static List<LedgerEntry> read(Path dir) throws IOException {
        return LedgerVerifier.readEntries(dir);
    }

    /** An entry's line exactly as the ledger file holds it. */
    public static String line(LedgerEntry entry) {
        return LedgerFormat.toLine(entry);
    }

    /** Parses one line; throws on anything that is not a complete entry. */
    public static LedgerEntry parse(String line) throws IOException {
        return LedgerFormat.parse(line);
    }

    /**
     * What is wrong with one line on its own, or null: it must be in canonical form, hash to its {@code hash},
     * and (when it carries one) bear a valid signature of the ledger key.
     */
    public static String problem(CryptoProfile crypto, PublicKey key, String line) {
        LedgerEntry entry;
        try {
            entry = LedgerFormat.parse(line);
        } catch (IOException | RuntimeException e) {
            return "malformed";
        }
        if (!LedgerFormat.toLine(entry).equals(line)) {
            return "not in canonical form (changed)";
        }
        byte[] hash = crypto.hash(LedgerFormat.canonicalBody(entry));
        if (!HexFormat.of().formatHex(hash).equals(entry.hash())) {
            return "changed (hash mismatch)";
        }
        if (!entry.signature().isEmpty()) {
            byte[] signature = Base64Strict.decode(entry.signature());
            if (signature == null || !crypto.verify(key, hash, signature)) {
                return "its signature is invalid";
            }
        }
        return null;
    }
}
