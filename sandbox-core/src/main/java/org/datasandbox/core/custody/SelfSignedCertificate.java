package org.datasandbox.core.custody;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.datasandbox.core.crypto.BouncyCastle;
import org.datasandbox.core.crypto.SecureRandoms;

/** Keystores hold a private key only with a certificate: a self-signed one names a key that has none. */
final class SelfSignedCertificate {
    private SelfSignedCertificate() {
    }

    static X509Certificate of(KeyPair pair, String signatureAlgorithm, String commonName) throws KeyCustodyException {
        return of(pair, signatureAlgorithm, commonName, BouncyCastle.PROVIDER);
    }

    /** Signed by {@code signerProvider}: a token's provider for a key that never leaves the token. */
    static X509Certificate of(KeyPair pair, String signatureAlgorithm, String commonName,
                              java.security.Provider signerProvider) throws KeyCustodyException {
        Instant now = Instant.now();
        X500Name name = new X500Name("O=Data Sandbox, CN=" + commonName);
        try {
            var builder = new JcaX509v3CertificateBuilder(name, new BigInteger(128, SecureRandoms.shared()),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(36500))), name,
                    pair.getPublic());
            var signer = new JcaContentSignerBuilder(signatureAlgorithm).setProvider(signerProvider)
                    .build(pair.getPrivate());
            return new JcaX509CertificateConverter().setProvider(BouncyCastle.PROVIDER).getCertificate(builder.build(signer));
        } catch (Exception e) {
            throw new KeyCustodyException("cannot describe the " + commonName + " key for the keystore: "
                    + e.getClass().getSimpleName(), e);
        }
    }
}
