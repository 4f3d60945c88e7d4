package org.datasandbox.core.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import org.datasandbox.masking.function.KeyedPseudonym;

/** The international profile: Ed25519 signatures, SHA-256 hashes, AES-256-GCM. */
public final class InternationalCryptoProfile implements CryptoProfile {

    @Override
    public Kind kind() {
        return Kind.INTERNATIONAL;
    }

    @Override
    public byte[] hash(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    @Override
    public MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    @Override
    public String hashName() {
        return "SHA-256";
    }

    @Override
    public KeyPair newSigningKeyPair() {
        try {
            return KeyPairGenerator.getInstance("Ed25519", BouncyCastle.PROVIDER).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 key generation failed", e);
        }
    }

    @Override
    public String signatureAlgorithm() {
        return "Ed25519";
    }

    @Override
    public int symmetricKeyBytes() {
        return 32;
    }

    @Override
    public String cipherName() {
        return "AES";
    }

    @Override
    public KeyedPseudonym.Algorithm hmac() {
        return KeyedPseudonym.Algorithm.SHA256;
    }
}
