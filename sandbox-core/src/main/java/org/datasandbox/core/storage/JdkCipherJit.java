package org.datasandbox.core.storage;

/**
 * The JVM flags that let the JDK's AES-GCM run at hardware speed when Parquet decrypts.
 *
 * <p>The JDK's GHASH and AES-CTR intrinsics (CLMUL, AES-NI) only replace a call made from C2-compiled code.
 * Parquet decrypts one page (up to a megabyte) with one {@code Cipher.doFinal}, so a scan makes a few hundred
 * large calls: too few for the JIT's call counters, and GHASH runs in interpreted Java
 * ({@code com.sun.crypto.provider.GHASH.blockMult}) at about 20 MB/s instead of about 2 GB/s. JFR put a
 * fifth of an encrypted 1,000,000-row aggregate's samples there. Scaling the JDK cipher provider's compile
 * thresholds down compiles its methods after a few calls; nothing else in the JVM changes, nor does what is
 * encrypted or how. The same list is in {@code spark.jvm.opens} (pom.xml: the server, tests, benchmarks), and
 * {@code SparkEngine} gives it to a cluster's executors.
 */
public final class JdkCipherJit {
    /** {@code quiet} first: otherwise the JVM prints every compile command on standard output at start. */
    public static final String FLAGS = "-XX:CompileCommand=quiet"
            + " -XX:CompileCommand=CompileThresholdScaling,com.sun.crypto.provider.*::*,0.01";

    private JdkCipherJit() {
    }
}
