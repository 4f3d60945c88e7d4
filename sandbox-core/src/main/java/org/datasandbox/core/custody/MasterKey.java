package org.datasandbox.core.custody;

import java.security.GeneralSecurityException;
import org.datasandbox.core.crypto.CryptoProfile;

/**
 * The key that seals dataset keys. Sealing happens where the key lives: in memory for a sealed keystore,
 * inside the token for PKCS#11, so that a token's master key never leaves it.
 */
public interface MasterKey {

    /** Authenticated encryption of a (small) key under the master key, bound to {@code associatedData}. */
    byte[] seal(byte[] plaintext, byte[] associatedData) throws GeneralSecurityException;

    /** Reverses {@link #seal}; fails on a wrong master key or any change. */
    byte[] open(byte[] sealed, byte[] associatedData) throws GeneralSecurityException;

    /** A master key held in memory, sealing with the profile's cipher (SM4-GCM or AES-GCM). */
    static MasterKey inMemory(CryptoProfile crypto, byte[] key) {
        if (key.length != crypto.symmetricKeyBytes()) {
            throw new IllegalArgumentException("a " + crypto.kind() + " master key has " + crypto.symmetricKeyBytes()
                    + " bytes. Provided length: " + key.length);
        }
        byte[] copy = key.clone();
        return new MasterKey() {
            @Override
            public byte[] seal(byte[] plaintext, byte[] associatedData) {
                return crypto.seal(copy, plaintext, associatedData);
            }

            @Override
            public byte[] open(byte[] sealed, byte[] associatedData) throws GeneralSecurityException {
                return crypto.open(copy, sealed, associatedData);
            }
        };
    }
}
