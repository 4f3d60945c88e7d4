package org.datasandbox.core.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.datasandbox.core.crypto.BouncyCastle;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.crypto.Pem;
import org.datasandbox.core.ledger.Checkpoint;
import org.datasandbox.core.ledger.EvidenceLedger;
import org.datasandbox.core.ledger.LedgerEntry;
import org.datasandbox.core.ledger.LedgerLines;
import org.datasandbox.core.ledger.LedgerVerifier;

/**
 * The auditor's extract: the entries a filter selects, whole, and the hashes of every entry up to the ledger's
 * signed head with the bodies of the others left out, all signed by the ledger key. It verifies on its own, with
 * nothing but the ledger's public key fingerprint published by the operator of the sandbox:
 * <ul>
 *   <li>the key in the extract has that fingerprint; the extract and its checkpoint are signed by it;</li>
 *   <li>the chain of hashes ends at the checkpoint's hash, one hash per entry;</li>
 *   <li>every selected entry is in canonical form, hashes to its place in the chain, chains to the hash before it,
 *   carries a valid signature where it has one, and lies in the filter's period.</li>
 * </ul>
 * The left-out entries give away only their hashes and their number.
 */
public final class AuditExtracts {
    public static final String FORMAT = "datasandbox-audit-extract/1";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .configure(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION, true);
    private static final int ATTEMPTS = 3;

    private AuditExtracts() {
    }

    /** The extract of the ledger of {@code ledger} under {@code filter}, signed with its key. */
    public static byte[] export(EvidenceLedger ledger, AuditFilter filter) throws IOException {
        Path dir = ledger.directory();
        for (int attempt = 1; ; attempt++) {
            try {
                Checkpoint head = LedgerVerifier.checkpoint(dir); // verifies the whole ledger first
                return export(ledger, filter, LedgerLines.read(dir), head);
            } catch (IOException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
                // an append between reading the lines and the head makes them disagree: read again
            }
        }
    }

    private static byte[] export(EvidenceLedger ledger, AuditFilter filter, List<LedgerEntry> all, Checkpoint head)
            throws IOException {
        List<LedgerEntry> entries = all.stream().filter(e -> e.sequence() <= head.sequence()).toList();
        LedgerAttribution attribution = new LedgerAttribution(entries);
        List<String> chain = new ArrayList<>();
        List<String> selected = new ArrayList<>();
        for (LedgerEntry entry : entries) {
            chain.add(entry.hash());
            if (filter.selects(entry, attribution)) {
                selected.add(LedgerLines.line(entry));
            }
        }
        PublicKey key = Pem.readPublicKey(dir(ledger).resolve("ledger.pub"));
        Map<String, Object> signed = new TreeMap<>();
        signed.put("format", FORMAT);
        signed.put("filter", Map.of("from", filter.from().toString(), "to", filter.to().toString(),
                "operator", filter.operator(), "scenario", filter.scenario(), "zone", filter.zone().getId()));
        signed.put("profile", ledger.crypto().kind().name());
        signed.put("publicKey", Base64.getEncoder().encodeToString(key.getEncoded()));
        signed.put("checkpoint", Map.of("seq", head.sequence(), "hash", head.hash(), "sig", head.signature()));
        signed.put("chain", chain);
        signed.put("entries", selected);
        byte[] body = JSON.writeValueAsBytes(signed);
        Map<String, Object> extract = new TreeMap<>();
        extract.put("signed", signed);
        extract.put("signature", ledger.signDocument(body));
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(extract);
    }

    private static Path dir(EvidenceLedger ledger) {
        return ledger.directory();
    }

    /** The outcome of verifying an extract: the selected entries when valid, the first problem otherwise. */
    public record Verification(boolean valid, String problem, String keyFingerprint, Checkpoint checkpoint,
                               List<LedgerEntry> entries) {
    }

    /** Verifies an extract offline; {@code expectedKeyFingerprint} (hex) is the ledger key's published fingerprint. */
    public static Verification verify(byte[] extract, String expectedKeyFingerprint) {
        try {
            return check(JSON.readTree(extract), expectedKeyFingerprint);
        } catch (IOException | RuntimeException e) {
            return failed("the extract is not a well-formed audit extract", "", null);
        }
    }

    public static Verification verify(Path file, String expectedKeyFingerprint) throws IOException {
        return verify(Files.readAllBytes(file), expectedKeyFingerprint);
    }

    private static Verification check(JsonNode root, String expectedFingerprint) throws IOException {
        JsonNode signed = root.get("signed");
        if (signed == null || !signed.isObject() || !FORMAT.equals(signed.path("format").asText())
                || root.size() != 2 || !root.path("signature").isTextual()) {
            return failed("not an audit extract of format " + FORMAT, "", null);
        }
        CryptoProfile crypto = CryptoProfile.of(CryptoProfile.Kind.parse(signed.path("profile").asText()));
        PublicKey key = new JcaPEMKeyConverter().setProvider(BouncyCastle.PROVIDER).getPublicKey(
                SubjectPublicKeyInfo.getInstance(Base64.getDecoder().decode(signed.path("publicKey").asText())));
        String fingerprint = HexFormat.of().formatHex(crypto.hash(key.getEncoded()));
        if (expectedFingerprint != null && !expectedFingerprint.equalsIgnoreCase(fingerprint)) {
            return failed("the extract's ledger key is not the expected one (fingerprint " + fingerprint + ")",
                    fingerprint, null);
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(root.get("signature").asText());
        } catch (IllegalArgumentException e) {
            return failed("the extract's signature is not base64", fingerprint, null);
        }
        if (!crypto.verify(key, crypto.hash(canonical(signed)), signature)) {
            return failed("the extract's signature does not verify (the extract was changed)", fingerprint, null);
        }
        JsonNode head = signed.path("checkpoint");
        Checkpoint checkpoint = new Checkpoint(head.path("seq").asLong(), head.path("hash").asText(),
                head.path("sig").asText());
        if (!checkpoint.verifies(crypto, key)) {
            return failed("the checkpoint was not signed by the ledger key", fingerprint, checkpoint);
        }
        List<String> chain = new ArrayList<>();
        signed.path("chain").forEach(hash -> chain.add(hash.asText()));
        if (chain.size() != checkpoint.sequence() || chain.isEmpty()
                || !chain.get(chain.size() - 1).equals(checkpoint.hash())) {
            return failed("the chain of hashes does not end at the checkpoint", fingerprint, checkpoint);
        }
        JsonNode filter = signed.path("filter");
        AuditFilter period = new AuditFilter(LocalDate.parse(filter.path("from").asText()),
                LocalDate.parse(filter.path("to").asText()), filter.path("operator").asText(),
                filter.path("scenario").asText(), ZoneId.of(filter.path("zone").asText()));
        List<LedgerEntry> entries = new ArrayList<>();
        long previous = 0;
        for (JsonNode node : signed.path("entries")) {
            String line = node.asText();
            String problem = LedgerLines.problem(crypto, key, line);
            if (problem != null) {
                return failed("a selected entry is " + problem, fingerprint, checkpoint);
            }
            LedgerEntry entry = LedgerLines.parse(line);
            long seq = entry.sequence();
            if (seq <= previous || seq > chain.size()) {
                return failed("entry " + seq + " is out of order or beyond the checkpoint", fingerprint, checkpoint);
            }
            if (!chain.get((int) seq - 1).equals(entry.hash())) {
                return failed("entry " + seq + " is not the one the chain records", fingerprint, checkpoint);
            }
            String before = seq == 1 ? LedgerLines.GENESIS : chain.get((int) seq - 2);
            if (!entry.previousHash().equals(before)) {
                return failed("entry " + seq + " does not chain to the hash before it", fingerprint, checkpoint);
            }
            if (!period.inPeriod(entry)) {
                return failed("entry " + seq + " lies outside the extract's period", fingerprint, checkpoint);
            }
            previous = seq;
            entries.add(entry);
        }
        return new Verification(true, "", fingerprint, checkpoint, List.copyOf(entries));
    }

    /** The signed part as it was signed: compact JSON, keys in the (sorted) order written. */
    private static byte[] canonical(JsonNode signed) throws JsonProcessingException {
        return JSON.writeValueAsString(signed).getBytes(StandardCharsets.UTF_8);
    }

    private static Verification failed(String problem, String fingerprint, Checkpoint checkpoint) {
        return new Verification(false, problem, fingerprint, checkpoint, List.of());
    }
}
