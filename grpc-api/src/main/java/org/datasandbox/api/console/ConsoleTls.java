package org.datasandbox.api.console;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.datasandbox.core.identity.ServerCredentials;

/**
 * The console's TLS: the gRPC server's key and certificate (from key custody, in memory), and the sandbox CA as the
 * only trust anchor for client certificates. Revocation and the role are checked per request by the sandbox's
 * certificate authority, exactly as for gRPC.
 */
final class ConsoleTls {
    private ConsoleTls() {
    }

    static SSLContext context(ServerCredentials server, X509Certificate ca) throws IOException {
        try {
            char[] password = new char[0];
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            // re-encoded so that the JDK's own providers hold the key and chain (they may come from Bouncy Castle)
            Certificate[] chain = new Certificate[server.chain().size()];
            for (int i = 0; i < chain.length; i++) {
                chain[i] = jdk(server.chain().get(i));
            }
            keys.setKeyEntry("server", jdk(server.key()), password, chain);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("sandbox-ca", jdk(ca));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("the console's TLS could not be set up from the server's credentials ("
                    + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static X509Certificate jdk(X509Certificate certificate) throws GeneralSecurityException {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(certificate.getEncoded()));
    }

    private static PrivateKey jdk(PrivateKey key) throws GeneralSecurityException {
        return KeyFactory.getInstance(key.getAlgorithm().equals("ECDSA") ? "EC" : key.getAlgorithm())
                .generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
    }
}
