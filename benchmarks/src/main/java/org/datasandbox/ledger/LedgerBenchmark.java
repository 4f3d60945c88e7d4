package org.datasandbox.ledger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.datasandbox.bench.BenchmarkBase;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.identity.Identity;
import org.datasandbox.core.ledger.Checkpoint;
import org.datasandbox.core.ledger.EvidenceLedger;
import org.datasandbox.core.ledger.LedgerVerification;
import org.datasandbox.core.ledger.LedgerVerifier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Full verification of a 1,000-entry ledger (strict parsing, hash chain, every signature, signed head),
 * with and without a checkpoint, per crypto profile. Entries per second = ops/ms x 1,000 x 1,000. And appends
 * as the sandbox makes them today (each entry signed, written with fsync, the signed head replaced), per
 * profile: SM2 against Ed25519 side by side.
 */
@State(Scope.Benchmark)
public class LedgerBenchmark extends BenchmarkBase {
    static final int ENTRIES = 1_000;

    @Param({"SM", "INTERNATIONAL"})
    public String profile;

    private Path dir;
    private Checkpoint checkpoint;
    private EvidenceLedger appending;
    private long appended;

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("ledger-bench").resolve("ledger");
        EvidenceLedger ledger = EvidenceLedger.open(dir, CryptoProfile.of(CryptoProfile.Kind.valueOf(profile)));
        for (int i = 0; i < ENTRIES; i++) {
            ledger.append(Identity.system(), "job.released", "job-" + i,
                    Map.of("rows", Integer.toString(i), "resultHash", Integer.toHexString(i * 7919)));
        }
        checkpoint = LedgerVerifier.checkpoint(dir);
        appending = EvidenceLedger.open(dir.resolveSibling("appending"), CryptoProfile.of(CryptoProfile.Kind.valueOf(profile)));
    }

    @TearDown
    public void tearDown() throws IOException {
        try (Stream<Path> files = Files.walk(dir.getParent())) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    @Benchmark
    public LedgerVerification verify() {
        return check(LedgerVerifier.verify(dir));
    }

    /** One signed append (ops/s = appends per second). */
    @Benchmark
    public Object append() {
        appended++;
        return appending.append(Identity.system(), "job.released", "job-" + appended,
                Map.of("rows", Long.toString(appended), "resultHash", Long.toHexString(appended * 7919)));
    }

    @Benchmark
    public LedgerVerification verifyAgainstCheckpoint() {
        return check(LedgerVerifier.verify(dir, null, checkpoint));
    }

    private static LedgerVerification check(LedgerVerification result) {
        if (!result.valid() || result.entries() != ENTRIES) {
            throw new IllegalStateException("the benchmark ledger does not verify: " + result.problem());
        }
        return result;
    }
}
