package org.datasandbox.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.TestSandbox;
import org.datasandbox.core.identity.Identity;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.job.JobEvent;
import org.datasandbox.core.job.JobState;
import org.datasandbox.core.ledger.LedgerEntry;
import org.datasandbox.core.release.ArrowResults;
import org.junit.jupiter.api.Test;

/**
 * Rule: a job reads the originals only when they are exactly the files the sandbox wrote. A table clustered by its
 * unit is a catalog table that Spark lists per query, so a bucket file deleted, truncated or added would change the
 * answer instead of failing: each such job fails, with an error that names the table and no value, and the ledger
 * records the failure; the table restored, the same job is released with the oracle's counts again (counted here
 * from the generated rows, not by the sandbox).
 */
class TamperedOriginalsTest {
    private static final String TABLE = "tamper_people";
    private static final String SCENARIO = "tamper-originals";
    private static final String SQL = "SELECT ward, COUNT(*) AS n FROM " + TABLE + " GROUP BY ward";

    @Test
    void job_bucketFileDeletedTruncatedOrAdded_failsClosedAndRestoredReadsAgain() throws Exception {
        Sandbox sandbox = TestSandbox.get();
        Identity admin = TestSandbox.as(Role.ADMIN);
        Identity developer = TestSandbox.as(Role.DEVELOPER);
        // the policy first: the table is clustered by its unit as it is registered
        sandbox.applyPolicy(admin, "kind: table-policy\ntable: " + TABLE + "\noutput: {mode: threshold, k: 2}\n"
                + "columns:\n  - {name: person_id, role: privacy_unit}\n  - {name: ward, role: dimension}\n");
        StringBuilder csv = new StringBuilder("person_id,ward\n");
        long wardA = 0;
        for (int id = 1; id <= 60; id++) {
            boolean a = id % 3 == 0;
            wardA += a ? 1 : 0;
            csv.append(id).append(',').append(a ? "WARDVALUE_A" : "WARDVALUE_B").append('\n');
        }
        sandbox.registerDataset(TestSandbox.as(Role.PROVIDER), TABLE, "", csv.toString().getBytes(StandardCharsets.UTF_8),
                Map.of());
        sandbox.applyPolicy(admin, "kind: scenario\nid: " + SCENARIO + "\npurpose: fail-closed originals\n"
                + "developers: [\"" + developer.name() + "\"]\noutput: {mode: threshold, k: 2}\n"
                + "grants: {" + TABLE + ": [\"*\"]}\n");
        Path stored = TestSandbox.dataDir().resolve("data/originals").resolve(TABLE);
        List<Path> buckets;
        try (Stream<Path> files = Files.list(stored)) {
            buckets = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).sorted().toList();
        }
        assertThat(buckets).as("bucket files").hasSizeGreaterThan(1);
        Map<String, Long> expected = Map.of("WARDVALUE_A", wardA, "WARDVALUE_B", 60 - wardA);
        assertReleased(sandbox, developer, expected);

        Path bucket = buckets.get(0);
        byte[] original = Files.readAllBytes(bucket);
        Files.delete(bucket);
        assertFailedClosed(sandbox, developer);
        Files.write(bucket, original);
        assertReleased(sandbox, developer, expected);

        Files.write(bucket, java.util.Arrays.copyOf(original, original.length / 2));
        assertFailedClosed(sandbox, developer);
        Files.write(bucket, original);

        Path stray = stored.resolve("part-99999-stray.c000.snappy.parquet");
        Files.write(stray, Files.readAllBytes(buckets.get(1)));
        assertFailedClosed(sandbox, developer);
        Files.delete(stray);
        assertReleased(sandbox, developer, expected);
    }

    private static void assertReleased(Sandbox sandbox, Identity developer, Map<String, Long> expected) throws Exception {
        String job = sandbox.submitJob(developer, SCENARIO, SQL).jobId();
        JobEvent last = end(sandbox, developer, job);
        assertThat(last.state()).as(last.toString()).isEqualTo(JobState.RELEASED);
        Map<String, Long> counts = new java.util.TreeMap<>();
        for (Map<String, Object> row : ArrowResults.decode(sandbox.fetchResult(developer, job).arrowIpc()).records()) {
            counts.put(String.valueOf(row.get("ward")), ((Number) row.get("n")).longValue());
        }
        assertThat(counts).isEqualTo(expected);
    }

    private static void assertFailedClosed(Sandbox sandbox, Identity developer) throws Exception {
        String job = sandbox.submitJob(developer, SCENARIO, SQL).jobId();
        JobEvent last = end(sandbox, developer, job);
        assertThat(last.state()).as(last.toString()).isEqualTo(JobState.FAILED);
        assertThat(last.errorCode()).isEqualTo("EXECUTION_FAILED");
        assertThat(last.message()).contains(TABLE).doesNotContain("WARDVALUE").doesNotContain("part-");
        List<LedgerEntry> failed = sandbox.ledger().entries().stream()
                .filter(e -> e.action().equals("job.failed") && e.subject().equals(job)).toList();
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).details()).containsEntry("reason", "STORED_FILES_MISMATCH")
                .containsEntry("code", "EXECUTION_FAILED");
        assertThat(failed.get(0).details().toString()).doesNotContain("WARDVALUE");
    }

    private static JobEvent end(Sandbox sandbox, Identity developer, String job) throws Exception {
        CompletableFuture<JobEvent> end = new CompletableFuture<>();
        sandbox.watchJob(developer, job, e -> {
            if (e.state().isTerminal()) {
                end.complete(e);
            }
        });
        return end.get(120, TimeUnit.SECONDS);
    }
}
