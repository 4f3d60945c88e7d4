package org.datasandbox.core.identity;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.datasandbox.core.crypto.BouncyCastle;

/**
 * The CA's revocation list as an X.509 CRL (Bouncy Castle builds it, the JDK parses and checks it).
 * Loaded lists are verified against the CA certificate and kept until the file changes, so a check per
 * call costs a file-attribute read.
 */
final class RevocationList {
    // a CRL's nextUpdate; the sandbox reads its own list, so it is informative, not an expiry
    private static final Duration NEXT_UPDATE = Duration.ofDays(3650);

    private final X509Certificate ca;
    private Loaded loaded;

    private record Loaded(Object fileKey, long modified, long size, X509CRL crl) {
    }

    RevocationList(X509Certificate ca) {
        this.ca = ca;
    }

    /** The verified list, or empty if it is missing, unreadable or not signed by the CA. */
    synchronized Optional<X509CRL> current(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                return Optional.empty();
            }
            long modified = attributes.lastModifiedTime().toMillis();
            if (loaded != null && java.util.Objects.equals(loaded.fileKey(), attributes.fileKey())
                    && loaded.modified() == modified && loaded.size() == attributes.size()) {
                return Optional.of(loaded.crl());
            }
            X509CRL crl;
            try (InputStream in = Files.newInputStream(file)) {
                crl = (X509CRL) CertificateFactory.getInstance("X.509", BouncyCastle.PROVIDER).generateCRL(in);
            }
            crl.verify(ca.getPublicKey(), BouncyCastle.PROVIDER);
            if (!crl.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
                return Optional.empty();
            }
            loaded = new Loaded(attributes.fileKey(), modified, attributes.size(), crl);
            return Optional.of(crl);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            loaded = null;
            return Optional.empty();
        }
    }

    /** Writes a new list: the entries of {@code previous} and {@code serial}, with the next CRL number. */
    void write(Path file, Optional<X509CRL> previous, CertificateSerial serial, X509Certificate caCertificate,
               PrivateKey caKey) throws IOException {
        Instant now = Instant.now();
        try {
            X509v2CRLBuilder builder = new JcaX509v2CRLBuilder(caCertificate, Date.from(now));
            builder.setNextUpdate(Date.from(now.plus(NEXT_UPDATE)));
            BigInteger number = BigInteger.ONE;
            if (previous.isPresent()) {
                builder.addCRL(new X509CRLHolder(previous.get().getEncoded()));
                number = number(previous.get()).add(BigInteger.ONE);
            }
            builder.addCRLEntry(serial.value(), Date.from(now), CRLReason.unspecified);
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(number));
            var signer = new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BouncyCastle.PROVIDER).build(caKey);
            X509CRL crl = new JcaX509CRLConverter().setProvider(BouncyCastle.PROVIDER).getCRL(builder.build(signer));
            StringWriter pem = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
                writer.writeObject(crl);
            }
            Path temp = Files.createTempFile(file.getParent(), ".revoked", ".tmp");
            Files.writeString(temp, pem.toString(), StandardCharsets.US_ASCII);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("the revocation list could not be signed: " + e.getClass().getSimpleName(), e);
        }
    }

    static Set<CertificateSerial> serials(X509CRL crl) {
        Set<CertificateSerial> serials = new HashSet<>();
        Set<? extends X509CRLEntry> entries = crl.getRevokedCertificates();
        if (entries != null) {
            for (X509CRLEntry entry : entries) {
                serials.add(new CertificateSerial(entry.getSerialNumber()));
            }
        }
        return Set.copyOf(serials);
    }

    private static BigInteger number(X509CRL crl) throws IOException {
        byte[] extension = crl.getExtensionValue(Extension.cRLNumber.getId());
        if (extension == null) {
            return BigInteger.ZERO;
        }
        return CRLNumber.getInstance(org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils.parseExtensionValue(extension))
                .getCRLNumber();
    }
}
