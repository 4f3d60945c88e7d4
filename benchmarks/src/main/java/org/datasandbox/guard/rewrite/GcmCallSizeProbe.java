package org.datasandbox.guard.rewrite;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * How fast the JDK's AES-GCM decrypts in a fresh JVM when every call is one Parquet page of a given size: MB/s per
 * round of calls, so that one sees after how many calls (if ever) the JIT compiles GHASH's caller and the CLMUL
 * intrinsic takes over. Not JMH on purpose: JMH's warm-up would hide exactly the effect measured. Run it with and
 * without {@link org.datasandbox.core.storage.JdkCipherJit#FLAGS}, e.g.
 * <pre>java -cp benchmarks/target/classes org.datasandbox.guard.rewrite.GcmCallSizeProbe 1048576 8 32</pre>
 * (arguments: bytes per call, rounds, megabytes per round).
 */
public final class GcmCallSizeProbe {
    private GcmCallSizeProbe() {
    }

    public static void main(String[] args) throws GeneralSecurityException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: GcmCallSizeProbe <bytes per call> <rounds> <megabytes per round>");
        }
        int callBytes = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        long megabytes = Long.parseLong(args[2]);
        SecretKeySpec key = new SecretKeySpec(new byte[16], "AES"); // a probe's constant key: nothing is secret here
        GCMParameterSpec nonce = new GCMParameterSpec(128, new byte[12]);
        Cipher encrypt = Cipher.getInstance("AES/GCM/NoPadding");
        encrypt.init(Cipher.ENCRYPT_MODE, key, nonce);
        byte[] page = new byte[callBytes];
        Arrays.fill(page, (byte) 7);
        byte[] sealed = encrypt.doFinal(page);
        long calls = Math.max(1, megabytes * 1024 * 1024 / callBytes);
        for (int round = 0; round < rounds; round++) {
            long start = System.nanoTime();
            for (long i = 0; i < calls; i++) { // as Parquet's AesGcmDecryptor: a new init and one doFinal per page
                Cipher decrypt = Cipher.getInstance("AES/GCM/NoPadding");
                decrypt.init(Cipher.DECRYPT_MODE, key, nonce);
                decrypt.doFinal(sealed, 0, sealed.length, page, 0);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("%d-byte calls, round %d: %d calls, %.0f MB/s%n", callBytes, round, calls,
                    calls * (double) callBytes / 1e6 / seconds);
        }
    }
}
