package org.datasandbox.core.identity;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/** The TLS server's key and its certificate chain (server certificate first, then the CA). */
public record ServerCredentials(PrivateKey key, List<X509Certificate> chain) {
    public ServerCredentials {
        Objects.requireNonNull(key, "key");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a server key needs its certificate chain");
        }
    }
}
