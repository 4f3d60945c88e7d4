package org.datasandbox.core.authorization;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.crypto.Pem;
import org.datasandbox.core.ledger.EvidenceLedger;

/**
 * Deletion certificates as files: {@code {"certificate": {...}, "signature": "..."}}, the signature by the ledger
 * key over the hash of the certificate's canonical JSON (keys sorted, no spaces). {@link #verify} needs only the
 * file and the ledger's public key ({@code ledger/ledger.pub}): an auditor checks it offline.
 */
public final class DeletionCertificates {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private DeletionCertificates() {
    }

    /** Signs and writes a certificate; returns the hash (hex) of its canonical JSON. */
    public static String write(Path file, DeletionCertificate certificate, EvidenceLedger ledger) throws IOException {
        byte[] canonical = JSON.writeValueAsBytes(certificate);
        ObjectNode document = JSON.createObjectNode();
        document.set("certificate", JSON.readTree(canonical));
        document.put("signature", ledger.signDocument(canonical));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(document));
        return java.util.HexFormat.of().formatHex(ledger.crypto().hash(canonical));
    }

    /** The certificate of a file when its signature verifies with the ledger's public key; empty otherwise. */
    public static Optional<DeletionCertificate> verify(Path file, Path ledgerPublicKey) {
        try {
            JsonNode document = JSON.readTree(Files.readAllBytes(file));
            DeletionCertificate certificate = JSON.treeToValue(document.get("certificate"), DeletionCertificate.class);
            byte[] canonical = JSON.writeValueAsBytes(certificate);
            CryptoProfile crypto = CryptoProfile.of(CryptoProfile.Kind.valueOf(certificate.profile()));
            byte[] signature = Base64.getDecoder().decode(document.get("signature").asText());
            return crypto.verify(Pem.readPublicKey(ledgerPublicKey), crypto.hash(canonical), signature)
                    ? Optional.of(certificate) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // unreadable, altered or of another key: not a valid certificate
        }
    }
}
