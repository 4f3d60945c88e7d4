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
import org.datasandbox.core.ledger.CheckpointPolicy;
import org.datasandbox.core.ledger.EvidenceLedger;
import org.datasandbox.core.ledger.LedgerKeySource;
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
 * signed entry by entry (the earlier format) and batched (one checkpoint), with and without an auditor's
 * checkpoint, per crypto profile. Entries per second = ops/s x 1,000. And appends, per profile (SM2 against
 * Ed25519 side by side): as the sandbox makes them ({@link CheckpointPolicy#BATCHED}: each entry hashed,
 * chained and written with fdatasync, a signature and a new head every 1,000 entries or second) and signed
 * entry by entry ({@code appendEachSigned}: two signatures and a head replaced per append); and batched with
 * the entries forced to disk only at checkpoints ({@code appendSyncAtCheckpoints}), which shows what the
 * per-append fdatasync costs.
 */
@State(Scope.Benchmark)
public class LedgerBenchmark extends BenchmarkBase {
    static final int ENTRIES = 1_000;

    @Param({"SM", "INTERNATIONAL"})
    public String profile;

    private Path dir;
    private Checkpoint checkpoint;
    private Path batchedDir;
    private EvidenceLedger appending;
    private EvidenceLedger appendingEachSigned;
    private EvidenceLedger appendingUnsynced;
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
        CryptoProfile crypto = CryptoProfile.of(CryptoProfile.Kind.valueOf(profile));
        batchedDir = dir.resolveSibling("batched");
        EvidenceLedger batched = batched(batchedDir, crypto);
        for (int i = 0; i < ENTRIES; i++) {
            batched.append(Identity.system(), "job.released", "job-" + i,
                    Map.of("rows", Integer.toString(i), "resultHash", Integer.toHexString(i * 7919)));
        }
        batched.close();
        appending = batched(dir.resolveSibling("appending"), crypto);
        appendingEachSigned = EvidenceLedger.open(dir.resolveSibling("appending-each"), crypto);
        Path unsynced = dir.resolveSibling("appending-unsynced");
        appendingUnsynced = EvidenceLedger.open(unsynced, crypto, false, LedgerKeySource.pemFile(unsynced),
                CheckpointPolicy.BATCHED_SYNC_AT_CHECKPOINTS);
    }

    private static EvidenceLedger batched(Path at, CryptoProfile crypto) throws IOException {
        return EvidenceLedger.open(at, crypto, false, LedgerKeySource.pemFile(at), CheckpointPolicy.BATCHED);
    }

    @TearDown
    public void tearDown() throws IOException {
        appending.close();
        appendingUnsynced.close();
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

    /** One append as the sandbox makes it, signatures batched at checkpoints (ops/s = appends per second). */
    @Benchmark
    public Object append() {
        appended++;
        return appending.append(Identity.system(), "job.released", "job-" + appended,
                Map.of("rows", Long.toString(appended), "resultHash", Long.toHexString(appended * 7919)));
    }

    /** One append signed on its own, with its head: the earlier format, for comparison. */
    @Benchmark
    public Object appendEachSigned() {
        appended++;
        return appendingEachSigned.append(Identity.system(), "job.released", "job-" + appended,
                Map.of("rows", Long.toString(appended), "resultHash", Long.toHexString(appended * 7919)));
    }

    /** One append batched, forced to disk only at checkpoints: the cost of the per-append fdatasync by difference. */
    @Benchmark
    public Object appendSyncAtCheckpoints() {
        appended++;
        return appendingUnsynced.append(Identity.system(), "job.released", "job-" + appended,
                Map.of("rows", Long.toString(appended), "resultHash", Long.toHexString(appended * 7919)));
    }

    /** Verification of the 1,000 entries written batched: one signature in the chain, one head. */
    @Benchmark
    public LedgerVerification verifyBatched() {
        return check(LedgerVerifier.verify(batchedDir));
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
