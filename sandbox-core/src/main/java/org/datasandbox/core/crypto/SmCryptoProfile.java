package org.datasandbox.core.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.datasandbox.masking.function.KeyedPseudonym;

/** Chinese commercial cryptography: SM2 with SM3 signatures, SM3 hashes, SM4-GCM. */
public final class SmCryptoProfile implements CryptoProfile {

    @Override
    public Kind kind() {
        return Kind.SM;
    }

    @Override
    public byte[] hash(byte[] data) {
        SM3Digest digest = new SM3Digest();
        digest.update(data, 0, data.length);
        byte[] out = new byte[digest.getDigestSize()];
        digest.doFinal(out, 0);
        return out;
    }

    @Override
    public java.security.MessageDigest newDigest() {
        try {
            return java.security.MessageDigest.getInstance("SM3", BouncyCastle.PROVIDER);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SM3 unavailable", e);
        }
    }

    @Override
    public String hashName() {
        return "SM3";
    }

    @Override
    public KeyPair newSigningKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BouncyCastle.PROVIDER);
            generator.initialize(new ECGenParameterSpec("sm2p256v1"), SecureRandoms.shared());
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SM2 key generation failed", e);
        }
    }

    @Override
    public String signatureAlgorithm() {
        return "SM3withSM2";
    }

    @Override
    public int symmetricKeyBytes() {
        return 16;
    }

    @Override
    public String cipherName() {
        return "SM4";
    }

    @Override
    public KeyedPseudonym.Algorithm hmac() {
        return KeyedPseudonym.Algorithm.SM3;
    }
}
