package org.datasandbox.core.identity;

import java.nio.file.Path;

/** Where the CA, server and demo client credentials live under a data directory. */
public record PkiLayout(Path dir) {

    public static PkiLayout under(Path dataDir) {
        return new PkiLayout(dataDir.resolve("pki"));
    }

    public Path caCertificate() {
        return dir.resolve("ca.crt");
    }

    public Path caKey() {
        return dir.resolve("ca.key");
    }

    public Path serverCertificate() {
        return dir.resolve("server.crt");
    }

    public Path serverKey() {
        return dir.resolve("server.key");
    }

    /** The revocation list: an X.509 CRL signed by the CA, PEM. */
    public Path revoked() {
        return dir.resolve("revoked.crl");
    }

    public Path clientCertificate(Role role) {
        return dir.resolve("clients").resolve(role.label() + ".crt");
    }

    public Path clientKey(Role role) {
        return dir.resolve("clients").resolve(role.label() + ".key");
    }

    /** Every client certificate the CA issued, {@code <serial>.pem}: what the server lists in the ledger. */
    public Path issued() {
        return dir.resolve("issued");
    }

    /** Certificate signing requests an admin filed over the API, and the certificates signed for them. */
    public Path requests() {
        return dir.resolve("requests");
    }
}
