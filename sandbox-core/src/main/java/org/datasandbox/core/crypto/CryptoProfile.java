package org.datasandbox.core.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Locale;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.datasandbox.masking.function.KeyedPseudonym;

/**
 * The algorithms one sandbox uses for hashes, signatures and symmetric encryption. Sealed: the two
 * profiles differ only in algorithm names and key sizes.
 */
public sealed interface CryptoProfile permits SmCryptoProfile, InternationalCryptoProfile {

    /** The profile names used in settings. */
    enum Kind {
        SM,
        INTERNATIONAL;

        public static Kind parse(String value) {
            return Kind.valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
    }

    int GCM_NONCE_BYTES = 12;
    int GCM_TAG_BITS = 128;

    static CryptoProfile of(Kind kind) {
        return kind == Kind.SM ? new SmCryptoProfile() : new InternationalCryptoProfile();
    }

    Kind kind();

    /** SM3 or SHA-256. */
    byte[] hash(byte[] data);

    /** The same hash computed incrementally, for a stream too large to hold (a streamed result). */
    java.security.MessageDigest newDigest();

    String hashName();

    /** A fresh SM2 or Ed25519 key pair. */
    KeyPair newSigningKeyPair();

    String signatureAlgorithm();

    /** Key length of the symmetric cipher, in bytes. */
    int symmetricKeyBytes();

    /** SM4 or AES, always in GCM mode. */
    String cipherName();

    /** The HMAC hash for pseudonyms. */
    KeyedPseudonym.Algorithm hmac();

    /**
     * Signs with the profile's algorithm, or with {@code SHA256withECDSA} when the key is a P-256 key (the
     * ledger key of a PKCS#11 token: tokens do not do SM2). A key from another provider (a token's) signs
     * through that provider.
     */
    default byte[] sign(PrivateKey key, byte[] data) {
        try {
            String algorithm = signatureAlgorithmFor(key);
            java.security.Signature signature = isBouncyCastle(key)
                    ? java.security.Signature.getInstance(algorithm, BouncyCastle.PROVIDER)
                    : java.security.Signature.getInstance(algorithm);
            signature.initSign(key);
            signature.update(data);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing failed: " + e.getClass().getSimpleName(), e);
        }
    }

    /** Verifies with the algorithm that goes with the key, as {@link #sign} chose it. */
    default boolean verify(PublicKey key, byte[] data, byte[] signatureBytes) {
        try {
            java.security.Signature signature = java.security.Signature.getInstance(signatureAlgorithmFor(key),
                    BouncyCastle.PROVIDER);
            signature.initVerify(key);
            signature.update(data);
            return signature.verify(signatureBytes);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** The order of the NIST P-256 group: what tells a P-256 key from an SM2 one (both are "EC"). */
    java.math.BigInteger P256_ORDER = new java.math.BigInteger(
            "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

    /** The signature algorithm for a key: ECDSA for P-256 keys, the profile's for the rest. */
    default String signatureAlgorithmFor(java.security.Key key) {
        if (key instanceof java.security.interfaces.ECKey ec) {
            return ec.getParams().getOrder().equals(P256_ORDER) ? "SHA256withECDSA" : signatureAlgorithm();
        }
        // an EC key whose parameters stay in a token: the token's ledger keys are P-256 (Pkcs11Custody)
        return "EC".equals(key.getAlgorithm()) ? "SHA256withECDSA" : signatureAlgorithm();
    }

    private static boolean isBouncyCastle(java.security.Key key) {
        return key.getClass().getName().startsWith("org.bouncycastle.");
    }

    /** Authenticated encryption; the result is nonce followed by ciphertext and tag. */
    default byte[] seal(byte[] key, byte[] plaintext, byte[] associatedData) {
        try {
            byte[] nonce = new byte[GCM_NONCE_BYTES];
            SecureRandoms.shared().nextBytes(nonce);
            Cipher cipher = Cipher.getInstance(cipherName() + "/GCM/NoPadding", BouncyCastle.PROVIDER);
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, cipherName()), new GCMParameterSpec(GCM_TAG_BITS, nonce));
            cipher.updateAAD(associatedData);
            byte[] sealed = cipher.doFinal(plaintext);
            byte[] out = new byte[nonce.length + sealed.length];
            System.arraycopy(nonce, 0, out, 0, nonce.length);
            System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed: " + e.getClass().getSimpleName(), e);
        }
    }

    /** Reverses {@link #seal}; fails on any tampering or a wrong key. */
    default byte[] open(byte[] key, byte[] sealed, byte[] associatedData) throws GeneralSecurityException {
        if (sealed.length < GCM_NONCE_BYTES + GCM_TAG_BITS / 8) {
            throw new GeneralSecurityException("sealed data too short");
        }
        Cipher cipher = Cipher.getInstance(cipherName() + "/GCM/NoPadding", BouncyCastle.PROVIDER);
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, cipherName()),
                new GCMParameterSpec(GCM_TAG_BITS, sealed, 0, GCM_NONCE_BYTES));
        cipher.updateAAD(associatedData);
        return cipher.doFinal(sealed, GCM_NONCE_BYTES, sealed.length - GCM_NONCE_BYTES);
    }

    default byte[] newSymmetricKey() {
        byte[] key = new byte[symmetricKeyBytes()];
        SecureRandoms.shared().nextBytes(key);
        return key;
    }
}
