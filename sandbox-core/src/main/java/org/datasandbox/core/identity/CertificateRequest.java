package org.datasandbox.core.identity;

import java.io.IOException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.datasandbox.core.crypto.BouncyCastle;

/**
 * A request for a client certificate: the real name (CN), organization (O) and role (OU) an admin grants, and the
 * holder's PKCS#10 request (DER) made with their own key. {@link #verify} is the rule: the request is signed by the
 * key it certifies, names exactly the granted person, organization and role, and its key is an EC P-256 key (what
 * TLS stacks accept). A request for another role, name or organization than granted is refused.
 */
public record CertificateRequest(String name, String organization, Role role, byte[] csr) {
    private static final int MAX_NAME = 128;

    public CertificateRequest {
        name = text(name, "name");
        organization = text(organization, "organization");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(csr, "csr");
        csr = csr.clone();
    }

    /** A new EC P-256 key and its holder's PKCS#10 request naming a person, organization and role: made by the holder. */
    public record KeyAndRequest(java.security.KeyPair key, byte[] csr) {
    }

    /** Makes a key and a request for it, as the holder does on their own machine (the key stays there). */
    public static KeyAndRequest create(String name, String organization, Role role) {
        try {
            var generator = java.security.KeyPairGenerator.getInstance("EC", BouncyCastle.PROVIDER);
            generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"),
                    org.datasandbox.core.crypto.SecureRandoms.shared());
            java.security.KeyPair pair = generator.generateKeyPair();
            var builder = new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder(
                    CertificateAuthority.subject(text(name, "name"), text(organization, "organization"), role.label()),
                    pair.getPublic());
            var signer = new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA")
                    .setProvider(BouncyCastle.PROVIDER).build(pair.getPrivate());
            return new KeyAndRequest(pair, builder.build(signer).getEncoded());
        } catch (java.security.GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("the certificate request could not be made", e);
        }
    }

    private static String text(String value, String what) {
        if (value == null || value.isBlank() || value.length() > MAX_NAME || value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("a certificate names its " + what + ": 1 to " + MAX_NAME
                    + " printable characters");
        }
        return value.strip();
    }

    @Override
    public byte[] csr() {
        return csr.clone();
    }

    /** The key the request certifies, once {@link #verify} has passed. */
    public PublicKey publicKey() throws IOException {
        try {
            return parsed().setProvider(BouncyCastle.PROVIDER).getPublicKey();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("the certificate request's key cannot be read");
        }
    }

    /** Refuses a request not signed by its own key, or naming another person, organization or role. */
    public void verify() {
        JcaPKCS10CertificationRequest request = parsed();
        try {
            if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(BouncyCastle.PROVIDER)
                    .build(request.getSubjectPublicKeyInfo()))) {
                throw new IllegalArgumentException("the certificate request is not signed by the key it certifies");
            }
        } catch (OperatorCreationException | PKCSException e) {
            throw new IllegalArgumentException("the certificate request's signature cannot be checked");
        }
        X500Name subject = request.getSubject();
        if (!name.equals(first(subject, BCStyle.CN).orElse(null))) {
            throw new IllegalArgumentException("the certificate request names another person (CN) than granted");
        }
        if (!organization.equals(first(subject, BCStyle.O).orElse(null))) {
            throw new IllegalArgumentException("the certificate request names another organization (O) than granted");
        }
        if (!role.label().equals(first(subject, BCStyle.OU).orElse(null))) {
            throw new IllegalArgumentException("the certificate request names another role (OU) than granted ("
                    + role.label() + ")");
        }
        try {
            if (!(request.setProvider(BouncyCastle.PROVIDER).getPublicKey() instanceof ECPublicKey ec)
                    || ec.getParams().getCurve().getField().getFieldSize() != 256) {
                throw new IllegalArgumentException("the certificate request's key must be EC P-256 (secp256r1)");
            }
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("the certificate request's key cannot be read");
        }
    }

    private JcaPKCS10CertificationRequest parsed() {
        try {
            return new JcaPKCS10CertificationRequest(csr);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("the certificate request is not a PKCS#10 request (DER)");
        }
    }

    private static Optional<String> first(X500Name name, org.bouncycastle.asn1.ASN1ObjectIdentifier attribute) {
        var rdns = name.getRDNs(attribute);
        return rdns.length == 1 ? Optional.of(IETFUtils.valueToString(rdns[0].getFirst().getValue())) : Optional.empty();
    }
}
