package org.datasandbox.core.ledger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.datasandbox.core.crypto.Pem;
import org.datasandbox.core.identity.CertificateAuthority;
import org.datasandbox.core.identity.Identity;

/**
 * Lists issued certificates in the ledger: {@code sandbox certificate issue} (which holds the CA key, not the
 * server) keeps each certificate it issues under {@code pki/issued}; the server records each one it has not
 * recorded yet ({@code certificate.issued}: serial, name, organization, role) and marks it {@code .recorded}.
 * A file there that this CA did not sign is not recorded as issued.
 */
public final class IssuanceRecorder {
    private IssuanceRecorder() {
    }

    /** Records the certificates issued since the last look; returns how many. */
    public static synchronized int record(EvidenceLedger ledger, CertificateAuthority authority) throws IOException {
        Path dir = authority.layout().issued();
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        List<Path> files;
        try (Stream<Path> listed = Files.list(dir)) {
            files = listed.filter(f -> f.getFileName().toString().endsWith(".pem")).sorted().toList();
        }
        int recorded = 0;
        for (Path file : files) {
            Path marker = file.resolveSibling(file.getFileName() + ".recorded");
            if (Files.exists(marker)) {
                continue;
            }
            X509Certificate certificate = Pem.readCertificate(file);
            try {
                certificate.verify(authority.caCertificate().getPublicKey(),
                        org.datasandbox.core.crypto.BouncyCastle.PROVIDER);
            } catch (java.security.GeneralSecurityException e) {
                continue; // not ours: nothing to list
            }
            var identity = CertificateAuthority.identityFromSubject(certificate);
            if (identity.isEmpty()) {
                continue;
            }
            Map<String, String> details = new TreeMap<>(Map.of("name", identity.get().name(),
                    "organization", identity.get().organization(), "role", identity.get().role().label(),
                    "notAfter", certificate.getNotAfter().toInstant().toString()));
            ledger.append(Identity.system(), "certificate.issued", identity.get().certificateSerial(), details);
            Files.createFile(marker);
            recorded++;
        }
        return recorded;
    }
}
