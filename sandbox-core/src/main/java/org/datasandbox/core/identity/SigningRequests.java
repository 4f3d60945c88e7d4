package org.datasandbox.core.identity;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.regex.Pattern;
import org.datasandbox.core.crypto.Pem;
import org.datasandbox.core.crypto.SecureRandoms;

/**
 * Certificate requests an admin files over the API, waiting for the CA: the server holds no CA key, so it only
 * files them ({@code pki/requests/<id>.json} with the granted name, organization and role, {@code <id>.csr} the
 * holder's PKCS#10 request); {@code sandbox certificate issue --request ID}, which opens the CA keystore, signs
 * one ({@code <id>.crt}), and the admin collects the certificate over the API. No private key is ever here.
 */
public final class SigningRequests {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ID = Pattern.compile("csr-[0-9a-f]{12}");

    /** What the admin granted; the CSR must name exactly this. */
    public record Filed(String id, String name, String organization, String role, String requestedBy) {
    }

    private final Path dir;

    public SigningRequests(PkiLayout layout) {
        this.dir = layout.requests();
    }

    /** Files a verified request; returns its id. */
    public String file(CertificateRequest request, String requestedBy) throws IOException {
        request.verify();
        Files.createDirectories(dir);
        String id = "csr-" + SecureRandoms.hex(6);
        Files.write(dir.resolve(id + ".csr"), request.csr());
        Files.write(dir.resolve(id + ".json"), JSON.writeValueAsBytes(new Filed(id, request.name(),
                request.organization(), request.role().label(), requestedBy)));
        return id;
    }

    /** A filed request, read back and checked again; empty when there is none of that id. */
    public Optional<CertificateRequest> request(String id) throws IOException {
        if (id == null || !ID.matcher(id).matches() || !Files.exists(dir.resolve(id + ".json"))) {
            return Optional.empty();
        }
        Filed filed = JSON.readValue(dir.resolve(id + ".json").toFile(), Filed.class);
        Role role = Role.parse(filed.role()).orElseThrow(() -> new IOException("request " + id + " names no role"));
        return Optional.of(new CertificateRequest(filed.name(), filed.organization(), role,
                Files.readAllBytes(dir.resolve(id + ".csr"))));
    }

    /** Signs a filed request with the CA (which must hold its key) and keeps the certificate beside it. */
    public X509Certificate sign(String id, CertificateAuthority authority) throws IOException {
        CertificateRequest request = request(id).orElseThrow(() -> new IOException("no certificate request " + id));
        if (Files.exists(dir.resolve(id + ".crt"))) {
            throw new IOException("request " + id + " was signed already");
        }
        X509Certificate certificate = authority.sign(request);
        Pem.writeCertificate(dir.resolve(id + ".crt"), certificate);
        return certificate;
    }

    /** The certificate signed for a request, once it is. */
    public Optional<X509Certificate> certificate(String id) throws IOException {
        if (id == null || !ID.matcher(id).matches() || !Files.exists(dir.resolve(id + ".crt"))) {
            return Optional.empty();
        }
        return Optional.of(Pem.readCertificate(dir.resolve(id + ".crt")));
    }
}
