package org.datasandbox.core.identity;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.datasandbox.core.crypto.BouncyCastle;
import org.datasandbox.core.crypto.Pem;
import org.datasandbox.core.crypto.SecureRandoms;

/**
 * The sandbox's own CA. On first start it creates a CA, a server certificate for {@code localhost} and
 * client certificates for the demo roles; afterwards it loads them. TLS keys are ECDSA P-256 because
 * that is what TLS stacks (JSSE, BoringSSL) accept; SM2 is used where the sandbox itself signs.
 */
public final class CertificateAuthority {
    private static final String ORGANIZATION = "Data Sandbox";
    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final Duration LEAF_VALIDITY = Duration.ofDays(365);

    /** The real names the demo certificates are issued to. */
    public static final Map<Role, String> DEMO_HOLDERS = demoHolders();

    private final PkiLayout layout;
    private final X509Certificate caCertificate;
    /** Null in the server: it verifies with the CA certificate and signs nothing. */
    private final PrivateKey caKey;
    /** Revocations the ledger records but the signed list lacks, while no CA key is here to sign them in. */
    private final Set<CertificateSerial> heldRevoked = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final RevocationList revocations;
    private volatile Consumer<Set<CertificateSerial>> listener;
    private volatile X509CRL announced;

    private CertificateAuthority(PkiLayout layout, X509Certificate caCertificate, PrivateKey caKey) {
        this.layout = layout;
        this.caCertificate = caCertificate;
        this.caKey = caKey;
        this.revocations = new RevocationList(caCertificate);
    }

    /**
     * Loads the CA of a data directory with its key in an unencrypted PEM file beside the certificate,
     * creating it, a server certificate and the demo credentials on first start. For tests and throw-away
     * CAs only: a sandbox keeps the CA key apart ({@link #openOrCreate(PkiLayout, CaKeyStore)}).
     */
    public static CertificateAuthority openOrCreate(PkiLayout layout) throws IOException {
        boolean existed = Files.exists(layout.caCertificate());
        CertificateAuthority authority = openOrCreate(layout, CaKeyStore.pemFile(layout.caKey()));
        if (!existed) {
            authority.issueServer();
        }
        return authority;
    }

    /**
     * Loads the CA of a data directory, creating it and the demo client credentials on first start. The
     * key comes from {@code caKeys} when that holds it; without it the CA verifies but cannot sign.
     */
    public static CertificateAuthority openOrCreate(PkiLayout layout, CaKeyStore caKeys) throws IOException {
        if (Files.exists(layout.caCertificate())) {
            X509Certificate certificate = Pem.readCertificate(layout.caCertificate());
            CertificateAuthority existing = new CertificateAuthority(layout, certificate,
                    caKeys.load(certificate).orElse(null));
            existing.migrateUnsignedList();
            return existing;
        }
        Files.createDirectories(layout.dir());
        KeyPair caPair = newKeyPair();
        X509Certificate ca = build(subject("Data Sandbox CA", null), caPair, caPair.getPrivate(), null, true,
                CA_VALIDITY, List.of());
        caKeys.store(caPair.getPrivate(), ca);
        Pem.writeCertificate(layout.caCertificate(), ca);
        CertificateAuthority authority = new CertificateAuthority(layout, ca, caPair.getPrivate());
        for (Map.Entry<Role, String> holder : DEMO_HOLDERS.entrySet()) {
            authority.issueClient(holder.getValue(), holder.getKey());
        }
        return authority;
    }

    /** Whether this process holds the CA key (certificate tools do; the server does not). */
    public boolean canSign() {
        return caKey != null;
    }

    public X509Certificate caCertificate() {
        return caCertificate;
    }

    public PkiLayout layout() {
        return layout;
    }

    /** Issues the demo certificate of a role into the data directory's {@code clients} folder. */
    public void issueClient(String realName, Role role) throws IOException {
        issueClient(realName, role, layout.clientCertificate(role), layout.clientKey(role));
    }

    /** Issues a client certificate carrying a real name and a role, and writes it with its key. */
    public void issueClient(String realName, Role role, Path certificateFile, Path keyFile) throws IOException {
        requireKey();
        KeyPair pair = newKeyPair();
        X509Certificate certificate = build(subject(realName, role.label()), pair, caKey, caCertificate, false,
                LEAF_VALIDITY, List.of());
        Pem.writePrivateKey(keyFile, pair.getPrivate());
        Pem.writeCertificate(certificateFile, certificate);
    }

    /**
     * Issues a client certificate to a real name of an organization in a role, with a key made here, and writes
     * the key and certificate; the certificate is also kept under {@code pki/issued} for the server's ledger.
     */
    public X509Certificate issueClient(String realName, String organization, Role role, Path certificateFile,
                                       Path keyFile) throws IOException {
        requireKey();
        KeyPair pair = newKeyPair();
        X509Certificate certificate = build(subject(realName, organization, role.label()), pair.getPublic(), caKey,
                caCertificate, false, LEAF_VALIDITY, List.of());
        Pem.writePrivateKey(keyFile, pair.getPrivate());
        Pem.writeCertificate(certificateFile, certificate);
        keepIssued(certificate);
        return certificate;
    }

    /**
     * Signs a certificate signing request (PKCS#10) for a real name of an organization in a role: the request
     * must be signed by its own key (proof of possession) and name exactly that person, organization and role;
     * the private key never leaves its holder. Refused with {@link IllegalArgumentException} otherwise.
     */
    public X509Certificate sign(CertificateRequest request) throws IOException {
        requireKey();
        request.verify();
        X509Certificate certificate = build(subject(request.name(), request.organization(), request.role().label()),
                request.publicKey(), caKey, caCertificate, false, LEAF_VALIDITY, List.of());
        keepIssued(certificate);
        return certificate;
    }

    private void keepIssued(X509Certificate certificate) throws IOException {
        Files.createDirectories(layout.issued());
        Pem.writeCertificate(layout.issued().resolve(new CertificateSerial(certificate.getSerialNumber()).hex() + ".pem"),
                certificate);
    }

    /**
     * The identity a certificate carries, if this CA issued it and it is valid now. TLS has already
     * verified the chain; this is the second look that also reads the role.
     */
    public Optional<Identity> identityOf(X509Certificate certificate) {
        try {
            certificate.checkValidity();
            certificate.verify(caCertificate.getPublicKey(), BouncyCastle.PROVIDER);
        } catch (GeneralSecurityException e) {
            return Optional.empty();
        }
        if (isRevoked(certificate)) {
            return Optional.empty();
        }
        return identityFromSubject(certificate);
    }

    /**
     * Revokes a certificate by serial: every later call with it is unauthenticated. The revocation list
     * is an X.509 CRL signed by this CA ({@code pki/revoked.crl}); a list that does not verify revokes
     * everyone. Returns false when the serial was already revoked.
     */
    public synchronized boolean revoke(CertificateSerial serial) throws IOException {
        requireKey();
        Optional<X509CRL> current = revocations.current(layout.revoked());
        if (Files.exists(layout.revoked()) && current.isEmpty()) {
            throw new IOException("the revocation list does not verify against the CA: fix or remove it first");
        }
        if (current.isPresent() && current.get().getRevokedCertificate(serial.value()) != null) {
            return false;
        }
        revocations.write(layout.revoked(), current, serial, caCertificate, caKey);
        return true;
    }

    /**
     * Folds the unsigned list of earlier versions ({@code pki/revoked}, one hex serial a line) into the
     * signed one, so that no revocation is lost on upgrade. Its lines only ever add revocations.
     */
    private void migrateUnsignedList() throws IOException {
        Path legacy = layout.dir().resolve("revoked");
        if (!Files.isRegularFile(legacy)) {
            return;
        }
        for (String line : Files.readAllLines(legacy)) {
            if (!line.isBlank()) {
                try {
                    if (!canSign()) {
                        holdRevoked(CertificateSerial.parse(line)); // folded in when a CA tool next opens it
                        continue;
                    }
                    revoke(CertificateSerial.parse(line));
                } catch (IllegalArgumentException e) {
                    throw new IOException("pki/revoked holds a line that is not a serial: fix it before starting");
                }
            }
        }
        if (!canSign()) {
            return;
        }
        Files.move(legacy, layout.dir().resolve("revoked.migrated"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** The serials the verified revocation list holds; all of them, in no particular order. */
    public Set<CertificateSerial> revokedSerials() throws IOException {
        if (!Files.exists(layout.revoked())) {
            return Set.of();
        }
        X509CRL crl = revocations.current(layout.revoked())
                .orElseThrow(() -> new IOException("the revocation list does not verify against the CA"));
        return RevocationList.serials(crl);
    }

    /**
     * Treats a serial as revoked in this process although the signed list lacks it: what a server without
     * the CA key does with a revocation the ledger records (deny by default until the list is re-signed).
     */
    public void holdRevoked(CertificateSerial serial) {
        heldRevoked.add(serial);
    }

    private void requireKey() throws IOException {
        if (caKey == null) {
            throw new IOException("the CA key is not available to this process: issue and revoke with "
                    + "`sandbox certificate` and the CA keystore");
        }
    }

    private boolean isRevoked(X509Certificate certificate) {
        if (heldRevoked.contains(new CertificateSerial(certificate.getSerialNumber()))) {
            return true;
        }
        if (!Files.exists(layout.revoked())) {
            return false;
        }
        // a list that cannot be read or does not verify revokes everyone: deny by default
        Optional<X509CRL> crl = revocations.current(layout.revoked());
        crl.ifPresent(this::announce);
        return crl.map(list -> list.isRevoked(certificate)).orElse(true);
    }

    /**
     * Calls {@code listener} with every serial of each newly loaded, verified revocation list (also one
     * another process, such as {@code sandbox certificate revoke}, wrote), so that they reach the ledger.
     */
    public void onRevocationList(Consumer<Set<CertificateSerial>> listener) {
        this.listener = listener;
    }

    private void announce(X509CRL crl) {
        Consumer<Set<CertificateSerial>> current = listener;
        if (current != null && crl != announced) {
            announced = crl;
            current.accept(RevocationList.serials(crl));
        }
    }

    /** Name and role from a certificate subject, without any trust decision. */
    public static Optional<Identity> identityFromSubject(X509Certificate certificate) {
        X500Name name = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        Optional<String> commonName = first(name, BCStyle.CN);
        Optional<Role> role = first(name, BCStyle.OU).flatMap(Role::parse);
        if (commonName.isEmpty() || role.isEmpty() || commonName.get().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new Identity(commonName.get(), role.get(), certificate.getSerialNumber().toString(16),
                first(name, BCStyle.O).orElse("")));
    }

    /**
     * Issues the TLS server certificate for {@code localhost}: writes the certificate into the data
     * directory and returns the key with its chain, for the caller to keep in key custody.
     */
    public ServerCredentials issueServer() throws IOException {
        requireKey();
        KeyPair pair = newKeyPair();
        List<GeneralName> names = List.of(new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        X509Certificate certificate = build(subject("Data Sandbox server", null), pair, caKey, caCertificate, false,
                LEAF_VALIDITY, names);
        Pem.writeCertificate(layout.serverCertificate(), certificate);
        return new ServerCredentials(pair.getPrivate(), List.of(certificate, caCertificate));
    }

    private static Optional<String> first(X500Name name, org.bouncycastle.asn1.ASN1ObjectIdentifier attribute) {
        var rdns = name.getRDNs(attribute);
        if (rdns.length == 0) {
            return Optional.empty();
        }
        return Optional.of(IETFUtils.valueToString(rdns[0].getFirst().getValue()));
    }

    private static X500Name subject(String commonName, String role) {
        return subject(commonName, ORGANIZATION, role);
    }

    /** O, then OU (the role, when there is one), then CN: the order a certificate request must name them in. */
    static X500Name subject(String commonName, String organization, String role) {
        X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, organization);
        if (role != null) {
            builder.addRDN(BCStyle.OU, role);
        }
        return builder.addRDN(BCStyle.CN, commonName).build();
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BouncyCastle.PROVIDER);
            generator.initialize(new ECGenParameterSpec("secp256r1"), SecureRandoms.shared());
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC key generation failed", e);
        }
    }

    private static X509Certificate build(X500Name subject, KeyPair pair, PrivateKey signer, X509Certificate issuer,
                                         boolean isCa, Duration validity, List<GeneralName> altNames) throws IOException {
        return build(subject, pair.getPublic(), signer, issuer, isCa, validity, altNames);
    }

    private static X509Certificate build(X500Name subject, java.security.PublicKey publicKey, PrivateKey signer,
                                         X509Certificate issuer, boolean isCa, Duration validity,
                                         List<GeneralName> altNames) throws IOException {
        Instant now = Instant.now();
        X500Name issuerName = issuer == null ? subject : X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName,
                    new BigInteger(128, SecureRandoms.shared()), Date.from(now.minus(Duration.ofMinutes(5))),
                    Date.from(now.plus(validity)), subject, publicKey);
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(publicKey));
            if (isCa) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(altNames.isEmpty()
                        ? KeyPurposeId.id_kp_clientAuth : KeyPurposeId.id_kp_serverAuth));
                builder.addExtension(Extension.authorityKeyIdentifier, false,
                        utils.createAuthorityKeyIdentifier(issuer.getPublicKey()));
            }
            if (!altNames.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(altNames.toArray(GeneralName[]::new)));
            }
            var contentSigner = new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BouncyCastle.PROVIDER).build(signer);
            return new JcaX509CertificateConverter().setProvider(BouncyCastle.PROVIDER)
                    .getCertificate(builder.build(contentSigner));
        } catch (CertIOException | OperatorCreationException | GeneralSecurityException e) {
            throw new IOException("certificate creation failed: " + e.getClass().getSimpleName(), e);
        }
    }

    private static Map<Role, String> demoHolders() {
        Map<Role, String> holders = new EnumMap<>(Role.class);
        holders.put(Role.PROVIDER, "Zhang Wei");
        holders.put(Role.ADMIN, "Li Na");
        holders.put(Role.DEVELOPER, "Wang Fang");
        holders.put(Role.REVIEWER, "Liu Yang");
        holders.put(Role.AUDITOR, "Chen Jing");
        return java.util.Collections.unmodifiableMap(holders);
    }
}
