package org.datasandbox.core.identity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.datasandbox.core.crypto.Pem;

/**
 * Where the CA's private key is kept: apart from the data directory and from the server's working keys.
 * Only issuing and revoking certificates need it; serving does not.
 */
public interface CaKeyStore {

    /** The CA key, if this store holds one for that CA certificate. */
    Optional<PrivateKey> load(X509Certificate caCertificate) throws IOException;

    void store(PrivateKey key, X509Certificate caCertificate) throws IOException;

    /** Where the key is, for messages. */
    String where();

    /** No CA key: a CA that verifies certificates and revocation lists but signs nothing (the server). */
    static CaKeyStore none() {
        return new CaKeyStore() {
            @Override
            public Optional<PrivateKey> load(X509Certificate caCertificate) {
                return Optional.empty();
            }

            @Override
            public void store(PrivateKey key, X509Certificate caCertificate) throws IOException {
                throw new IOException("this process keeps no CA key");
            }

            @Override
            public String where() {
                return "nowhere (the server runs without the CA key)";
            }
        };
    }

    /** An unencrypted PEM file: for tests and tools that make throw-away CAs, never for a sandbox. */
    static CaKeyStore pemFile(Path file) {
        return new CaKeyStore() {
            @Override
            public Optional<PrivateKey> load(X509Certificate caCertificate) throws IOException {
                return Files.exists(file) ? Optional.of(Pem.readPrivateKey(file)) : Optional.empty();
            }

            @Override
            public void store(PrivateKey key, X509Certificate caCertificate) throws IOException {
                Pem.writePrivateKey(file, key);
            }

            @Override
            public String where() {
                return file.toString();
            }
        };
    }
}
