package org.datasandbox.core.upload;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-CTR under a random key held only by this object: a staging file is ciphertext to anyone but the
 * upload that wrote it, and CTR can start decrypting at any block, which Parquet's random reads need.
 * Integrity is not needed here: the file never leaves the process that wrote it, and its plaintext hash
 * is taken while it is written.
 */
final class StagingCipher {
    private static final int BLOCK = 16;
    private final SecretKeySpec key;
    private final byte[] iv;

    StagingCipher(SecureRandom random) {
        byte[] keyBytes = new byte[16];
        random.nextBytes(keyBytes);
        this.key = new SecretKeySpec(keyBytes, "AES");
        Arrays.fill(keyBytes, (byte) 0);
        this.iv = new byte[BLOCK];
        random.nextBytes(iv);
        iv[0] &= 0x7f; // the counter never wraps within a file of any size this process can write
    }

    /** A cipher positioned at the start of the block holding {@code offset}. */
    Cipher at(int mode, long offset) {
        try {
            byte[] counter = new BigInteger(1, iv).add(BigInteger.valueOf(offset / BLOCK)).toByteArray();
            byte[] block = new byte[BLOCK];
            int length = Math.min(counter.length, BLOCK);
            System.arraycopy(counter, counter.length - length, block, BLOCK - length, length);
            Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(mode, key, new IvParameterSpec(block));
            int skip = (int) (offset % BLOCK);
            if (skip > 0) {
                cipher.update(new byte[skip]);
            }
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR is not available", e);
        }
    }
}
