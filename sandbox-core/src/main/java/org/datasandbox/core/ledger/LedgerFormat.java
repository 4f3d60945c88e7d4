package org.datasandbox.core.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** The on-disk form: one JSON object per line; the hash covers a canonical (key-sorted) JSON body. */
final class LedgerFormat {
    static final String GENESIS = "0".repeat(64);
    /** Sorted keys when writing; when reading, a duplicate key or anything after the object is an error. */
    static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true)
            .configure(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION, true);

    private LedgerFormat() {
    }

    static Path entries(Path dir) {
        return dir.resolve("ledger.jsonl");
    }

    static Path head(Path dir) {
        return dir.resolve("head.json");
    }

    /**
     * The last checkpoint, kept beside the ledger directory rather than in it: a second place to look
     * when the ledger directory has been deleted or replaced.
     */
    static Path anchor(Path dir) {
        return dir.resolveSibling(dir.getFileName() + ".anchor");
    }

    /** The signed checkpoint of the last entry archived and pruned: the live file continues after it. */
    static Path base(Path dir) {
        return dir.resolve("base.json");
    }

    static Path privateKey(Path dir) {
        return dir.resolve("ledger.key");
    }

    static Path publicKey(Path dir) {
        return dir.resolve("ledger.pub");
    }

    static Path profile(Path dir) {
        return dir.resolve("profile");
    }

    static byte[] canonicalBody(LedgerEntry entry) {
        try {
            return JSON.writeValueAsBytes(entry.body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unserializable ledger entry", e);
        }
    }

    static String toLine(LedgerEntry entry) {
        Map<String, Object> line = new TreeMap<>(entry.body());
        line.put("hash", entry.hash());
        line.put("sig", entry.signature());
        try {
            return JSON.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unserializable ledger entry", e);
        }
    }

    /** Parses one line; throws on anything that is not a complete entry. */
    static LedgerEntry parse(String line) throws java.io.IOException {
        JsonNode node = JSON.readTree(line.getBytes(StandardCharsets.UTF_8));
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        Map<String, String> details = new HashMap<>();
        JsonNode detailNode = required(node, "details");
        for (Map.Entry<String, JsonNode> field : detailNode.properties()) {
            details.put(field.getKey(), field.getValue().asText());
        }
        return new LedgerEntry(required(node, "seq").asLong(), text(node, "time"), text(node, "actor"),
                text(node, "role"), text(node, "cert"), text(node, "action"), text(node, "subject"), details,
                text(node, "prev"), text(node, "hash"), text(node, "sig"));
    }

    private static String text(JsonNode node, String field) {
        return required(node, field).asText();
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing field " + field);
        }
        return value;
    }
}
