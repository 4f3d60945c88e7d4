package org.datasandbox.core.crypto;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * Reads and writes keys and certificates as PEM; private keys as unencrypted PKCS#8, owner-only. A sandbox
 * keeps its own private keys in key custody, not in PEM files: these are for client credentials and tools.
 */
public final class Pem {
    private Pem() {
    }

    public static void writeCertificate(Path file, X509Certificate certificate) throws IOException {
        write(file, certificate, false);
    }

    public static void writePublicKey(Path file, PublicKey key) throws IOException {
        write(file, key, false);
    }

    public static void writePrivateKey(Path file, PrivateKey key) throws IOException {
        write(file, new JcaPKCS8Generator(key, null).generate(), true);
    }

    public static X509Certificate readCertificate(Path file) throws IOException {
        Object object = read(file);
        if (!(object instanceof X509CertificateHolder holder)) {
            throw new IOException("not a PEM certificate: " + file.getFileName());
        }
        try {
            return new JcaX509CertificateConverter().setProvider(BouncyCastle.PROVIDER).getCertificate(holder);
        } catch (CertificateException e) {
            throw new IOException("unreadable certificate: " + file.getFileName(), e);
        }
    }

    public static PrivateKey readPrivateKey(Path file) throws IOException {
        Object object = read(file);
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(BouncyCastle.PROVIDER);
        if (object instanceof PrivateKeyInfo info) {
            return converter.getPrivateKey(info);
        }
        if (object instanceof PEMKeyPair pair) {
            return converter.getPrivateKey(pair.getPrivateKeyInfo());
        }
        throw new IOException("not a PEM private key: " + file.getFileName());
    }

    public static PublicKey readPublicKey(Path file) throws IOException {
        Object object = read(file);
        if (!(object instanceof SubjectPublicKeyInfo info)) {
            throw new IOException("not a PEM public key: " + file.getFileName());
        }
        return new JcaPEMKeyConverter().setProvider(BouncyCastle.PROVIDER).getPublicKey(info);
    }

    private static Object read(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            Object object = parser.readObject();
            if (object == null) {
                throw new IOException("empty PEM file: " + file.getFileName());
            }
            return object;
        }
    }

    /** A private key as PKCS#8 PEM text, for TLS stacks that take a stream; never written to disk by this. */
    public static String privateKeyText(PrivateKey key) throws IOException {
        return text(new JcaPKCS8Generator(key, null).generate());
    }

    /** Certificates as concatenated PEM text. */
    public static String certificatesText(java.util.List<X509Certificate> certificates) throws IOException {
        StringBuilder all = new StringBuilder();
        for (X509Certificate certificate : certificates) {
            all.append(text(certificate));
        }
        return all.toString();
    }

    private static String text(Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString();
    }

    /** Writes atomically; secrets are created owner-readable only. */
    private static void write(Path file, Object object, boolean secret) throws IOException {
        String text = text(object);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), ".pem", ".tmp");
        if (secret) {
            ownerOnly(temp);
        }
        Files.writeString(temp, text, StandardCharsets.US_ASCII);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the data directory's own permissions must protect it.
        }
    }
}
