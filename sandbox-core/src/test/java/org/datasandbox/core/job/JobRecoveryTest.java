package org.datasandbox.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.identity.Identity;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.ledger.EvidenceLedger;
import org.datasandbox.core.ledger.LedgerEntry;
import org.datasandbox.core.custody.MasterKey;
import org.datasandbox.core.release.SealedResults;
import org.datasandbox.core.storage.KeyVault;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a start makes of a journal left by a run that was killed: written here as that run would have. */
class JobRecoveryTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final Identity OWNER = new Identity("Wang Fang", Role.DEVELOPER, "0a1b");

    @TempDir
    Path dir;

    private final CryptoProfile crypto = CryptoProfile.of(CryptoProfile.Kind.SM);
    private Path results;
    private JobJournal journal;
    private EvidenceLedger ledger;
    private SealedResults sealed;

    @BeforeEach
    void setUp() throws Exception {
        results = Files.createDirectories(dir.resolve("results"));
        journal = JobJournal.open(dir.resolve("jobs"));
        ledger = EvidenceLedger.open(dir.resolve("ledger"), crypto);
        sealed = SealedResults.open(results, KeyVault.open(dir.resolve("keys"), crypto,
                MasterKey.inMemory(crypto, crypto.newSymmetricKey())), crypto);
    }

    private JobRecord queued(String id) {
        return JobRecord.queued(new Job(id, OWNER, "s", "SELECT 1", "abc", Set.of()), NOW.minusSeconds(60).toString());
    }

    private JobRecord released(String id, byte[] ipc, Instant at) throws Exception {
        sealed.write("s", id, ipc);
        return queued(id).released(at.toString(), 3, HexFormat.of().formatHex(crypto.hash(ipc)), 42);
    }

    private JobRegistry recover() throws Exception {
        JobRegistry registry = new JobRegistry(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofHours(24), 1 << 20, sealed,
                journal);
        new JobRecovery(journal, registry, ledger, crypto, results, sealed).recover();
        return registry;
    }

    private List<LedgerEntry> entries(String action) throws Exception {
        return ledger.entries().stream().filter(e -> e.action().equals(action)).toList();
    }

    @Test
    void recover_queuedAndRunningJobs_areClosedInterruptedWithOneLedgerEntryEach() throws Exception {
        journal.write(queued("job-01"));
        journal.write(queued("job-02").running());
        JobRegistry registry = recover();
        for (String id : List.of("job-01", "job-02")) {
            Job job = registry.get(id).orElseThrow();
            assertThat(job.state()).isEqualTo(JobState.FAILED);
            assertThat(job.owner()).isEqualTo(OWNER);
        }
        Map<String, String> was = entries("job.interrupted").stream()
                .collect(Collectors.toMap(LedgerEntry::subject, e -> e.details().get("was")));
        assertThat(was).isEqualTo(Map.of("job-01", "queued", "job-02", "running"));
        assertThat(journal.load()).allSatisfy(r -> {
            assertThat(r.state()).isEqualTo(JobState.FAILED);
            assertThat(r.errorCode()).isEqualTo("INTERRUPTED");
        });
        recover(); // a second start records nothing more: the outcome is already there
        assertThat(entries("job.interrupted")).hasSize(2);
    }

    @Test
    void recover_releasedWithinRetention_staysFetchableWithItsReceipt() throws Exception {
        byte[] ipc = {1, 2, 3, 4};
        journal.write(released("job-0a", ipc, NOW.minus(Duration.ofHours(23))));
        Job job = recover().get("job-0a").orElseThrow();
        assertThat(job.state()).isEqualTo(JobState.RELEASED);
        assertThat(job.result().bytes()).isEqualTo(ipc.length);
        assertThat(job.result().ledgerSequence()).isEqualTo(42);
        assertThat(job.result().rows()).isEqualTo(3);
    }

    @Test
    void recover_heldWithinRetention_staysHeldWithItsSealedOutputAndNothingRecorded() throws Exception {
        sealed.writeHeld("s", "job-0c", new byte[] {5, 6});
        sealed.write("s", "job-0d", new byte[] {7}); // a result file no journal record keeps
        journal.write(queued("job-0c").running().held(NOW.minus(Duration.ofHours(1)).toString()));
        JobRegistry registry = recover();
        assertThat(registry.get("job-0c").orElseThrow().state()).isEqualTo(JobState.HELD);
        assertThat(registry.get("job-0c").orElseThrow().result()).isNull();
        assertThat(sealed.readHeld("s", "job-0c")).hasValue(new byte[] {5, 6});
        assertThat(sealed.file("s", "job-0d")).doesNotExist();
        assertThat(ledger.entries()).isEmpty();
        assertThat(journal.load()).singleElement().extracting(JobRecord::state).isEqualTo(JobState.HELD);
    }

    @Test
    void recover_heldPastRetention_isForgottenAndItsHeldOutputDestroyed() throws Exception {
        sealed.writeHeld("s", "job-0e", new byte[] {5});
        journal.write(queued("job-0e").running().held(NOW.minus(Duration.ofHours(25)).toString()));
        assertThat(recover().get("job-0e")).isEmpty();
        assertThat(sealed.heldFile("s", "job-0e")).doesNotExist();
        assertThat(journal.load()).isEmpty();
    }

    @Test
    void recover_heldButTheLedgerRecordsItsApprovedRelease_isHealedToReleased() throws Exception {
        byte[] ipc = {3, 1, 4};
        sealed.write("s", "job-0f", ipc); // the approval wrote the result and the receipt, then the process died
        journal.write(queued("job-0f").running().held(NOW.minus(Duration.ofHours(1)).toString()));
        ledger.append(OWNER, "job.released", "job-0f", Map.of("rows", "3",
                "resultSha", HexFormat.of().formatHex(crypto.hash(ipc))));
        Job job = recover().get("job-0f").orElseThrow();
        assertThat(job.state()).isEqualTo(JobState.RELEASED);
        assertThat(job.result().bytes()).isEqualTo(ipc.length);
    }

    @Test
    void recover_releasedPastRetention_isForgottenAndItsFileDestroyed() throws Exception {
        journal.write(released("job-0b", new byte[] {9}, NOW.minus(Duration.ofHours(24))));
        assertThat(recover().get("job-0b")).isEmpty();
        assertThat(sealed.file("s", "job-0b")).doesNotExist();
        assertThat(journal.load()).isEmpty();
    }

    @Test
    void recover_releasedFileAltered_isDiscardedAndRecorded() throws Exception {
        journal.write(released("job-0c", new byte[] {7, 7}, NOW.minusSeconds(5)));
        byte[] bytes = Files.readAllBytes(sealed.file("s", "job-0c"));
        bytes[bytes.length - 1] ^= 1;
        Files.write(sealed.file("s", "job-0c"), bytes);
        assertThat(recover().get("job-0c")).isEmpty();
        assertThat(sealed.file("s", "job-0c")).doesNotExist();
        assertThat(entries("job.result_discarded")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("reason", "unreadable"));
    }

    @Test
    void recover_resultKeptInClearByAnEarlierVersion_isSealedAndTheClearFileRemoved() throws Exception {
        byte[] ipc = {3, 1, 4, 1, 5};
        journal.write(queued("job-1a").released(NOW.minusSeconds(5).toString(), 1,
                HexFormat.of().formatHex(crypto.hash(ipc)), 7));
        Files.write(results.resolve("job-1a.arrow"), ipc);
        assertThat(recover().get("job-1a").orElseThrow().result().bytes()).isEqualTo(ipc.length);
        assertThat(results.resolve("job-1a.arrow")).doesNotExist();
        assertThat(sealed.read("s", "job-1a").orElseThrow()).isEqualTo(ipc);
        assertThat(Files.readAllBytes(sealed.file("s", "job-1a"))).isNotEqualTo(ipc);
    }

    @Test
    void recover_resultFilesOfJobsThatNeverReleased_areDestroyed() throws Exception {
        journal.write(queued("job-0d").running());
        Files.write(results.resolve("job-0d.arrow"), new byte[] {5}); // written, killed before the release
        Files.write(results.resolve("job-0e.arrow"), new byte[] {5}); // no journal at all
        journal.write(released("job-0f", new byte[] {6}, NOW.minusSeconds(5)));
        recover();
        try (var files = Files.walk(results)) {
            assertThat(files.filter(Files::isRegularFile)).containsExactly(sealed.file("s", "job-0f"));
        }
    }

    @Test
    void recover_killedBetweenTheLedgersOutcomeAndTheJournal_takesTheLedgersOutcomeAndAddsNone() throws Exception {
        byte[] ipc = {4, 2};
        String sha = HexFormat.of().formatHex(crypto.hash(ipc));
        sealed.write("s", "job-20", ipc);
        journal.write(queued("job-20").running());
        long sequence = ledger.append(OWNER, "job.released", "job-20", Map.of("resultSha", sha, "rows", "2")).sequence();
        journal.write(queued("job-21"));
        ledger.append(OWNER, "job.cancelled", "job-21", Map.of("was", "queued"));
        JobRegistry registry = recover();
        Job released = registry.get("job-20").orElseThrow();
        assertThat(released.state()).isEqualTo(JobState.RELEASED);
        assertThat(released.result().ledgerSequence()).isEqualTo(sequence);
        assertThat(released.result().bytes()).isEqualTo(ipc.length);
        assertThat(registry.get("job-21").orElseThrow().state()).isEqualTo(JobState.CANCELLED);
        assertThat(entries("job.interrupted")).isEmpty();
    }

    @Test
    void load_leftoverOfAnInterruptedWriteAndForeignFiles_areRemoved() throws Exception {
        journal.write(queued("job-10"));
        Files.writeString(dir.resolve("jobs").resolve("job-11.json.tmp"), "{\"version\":1,");
        Files.writeString(dir.resolve("jobs").resolve("job-12.json"), "not json");
        assertThat(journal.load()).extracting(JobRecord::jobId).containsExactly("job-10");
        try (var files = Files.list(dir.resolve("jobs"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("job-10.json");
        }
    }

    @Test
    void write_record_holdsNoSqlText() throws Exception {
        journal.write(queued("job-13"));
        String text = Files.readString(dir.resolve("jobs").resolve("job-13.json"));
        assertThat(text).doesNotContain("SELECT").contains("\"sqlHash\":\"abc\"");
    }
}
