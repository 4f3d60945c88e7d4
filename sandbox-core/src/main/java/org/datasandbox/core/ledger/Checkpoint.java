package org.datasandbox.core.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.datasandbox.core.crypto.CryptoProfile;

/**
 * A signed statement "the ledger had {@code sequence} entries and the last one hashed to {@code hash}".
 * The ledger's own {@code head.json} is one; an auditor keeps copies outside the sandbox, where whoever
 * can rewrite the data directory cannot roll them back.
 *
 * @param sequence the number of entries, 0 for an empty ledger
 * @param hash the hash of entry {@code sequence}, lower-case hex
 * @param signature the ledger key's signature over {@code ledger-head:seq:hash}, canonical base64, or
 *     empty for an unsigned {@code seq:hash} given on a command line
 */
public record Checkpoint(long sequence, String hash, String signature) {
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

    public Checkpoint {
        if (sequence < 0) {
            throw new IllegalArgumentException("a checkpoint's sequence number is not negative");
        }
        Objects.requireNonNull(hash, "hash");
        if (!HASH.matcher(hash).matches()) {
            throw new IllegalArgumentException("a checkpoint's hash is 64 lower-case hex digits");
        }
        Objects.requireNonNull(signature, "signature");
        if (!signature.isEmpty() && Base64Strict.decode(signature) == null) {
            throw new IllegalArgumentException("a checkpoint's signature is canonical base64");
        }
    }

    /** Signs {@code sequence} and {@code hash} with the ledger key. */
    static Checkpoint sign(CryptoProfile crypto, PrivateKey key, long sequence, String hash) {
        byte[] signature = crypto.sign(key, crypto.hash(message(sequence, hash)));
        return new Checkpoint(sequence, hash, Base64.getEncoder().encodeToString(signature));
    }

    /** Whether the ledger key signed this checkpoint; an unsigned one never verifies. */
    public boolean verifies(CryptoProfile crypto, PublicKey key) {
        byte[] signature = Base64Strict.decode(signature());
        return signature != null && signature.length > 0
                && crypto.verify(key, crypto.hash(message(sequence, hash)), signature);
    }

    public boolean signed() {
        return !signature.isEmpty();
    }

    static byte[] message(long sequence, String hash) {
        return ("ledger-head:" + sequence + ":" + hash).getBytes(StandardCharsets.US_ASCII);
    }

    /** The canonical JSON form (keys sorted, no spaces), as in {@code head.json}. */
    public byte[] toJson() {
        Map<String, Object> head = new TreeMap<>();
        head.put("seq", sequence);
        head.put("hash", hash);
        head.put("sig", signature);
        try {
            return LedgerFormat.JSON.writeValueAsBytes(head);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unserializable checkpoint", e);
        }
    }

    /** Parses the canonical JSON form; anything else, even an extra space, is refused. */
    public static Checkpoint parseJson(byte[] json) {
        try {
            JsonNode node = LedgerFormat.JSON.readTree(json);
            if (node == null || !node.isObject() || node.size() != 3 || !node.path("seq").isIntegralNumber()
                    || !node.path("hash").isTextual() || !node.path("sig").isTextual()) {
                throw new IllegalArgumentException("a checkpoint is a JSON object with seq, hash and sig");
            }
            Checkpoint checkpoint = new Checkpoint(node.get("seq").longValue(), node.get("hash").textValue(),
                    node.get("sig").textValue());
            if (!java.util.Arrays.equals(checkpoint.toJson(), json)) {
                throw new IllegalArgumentException("the checkpoint is not in canonical form");
            }
            return checkpoint;
        } catch (IOException e) {
            throw new IllegalArgumentException("the checkpoint is not JSON");
        }
    }

    /**
     * Parses what an auditor passes: a checkpoint file's content (canonical JSON, a final newline
     * allowed) or {@code seq:hash}.
     */
    public static Checkpoint parse(String text) {
        String trimmed = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        if (trimmed.startsWith("{")) {
            return parseJson(trimmed.getBytes(StandardCharsets.UTF_8));
        }
        int colon = trimmed.indexOf(':');
        if (colon < 1 || !trimmed.substring(0, colon).matches("[0-9]{1,18}")) {
            throw new IllegalArgumentException("a checkpoint is a checkpoint file or SEQ:HASH");
        }
        return new Checkpoint(Long.parseLong(trimmed.substring(0, colon)),
                trimmed.substring(colon + 1).toLowerCase(java.util.Locale.ROOT), "");
    }

    @Override
    public String toString() {
        return sequence + ":" + hash;
    }
}
