package org.datasandbox.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.datasandbox.core.ErrorCode;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.SandboxException;
import org.datasandbox.core.TestSandbox;
import org.datasandbox.core.identity.Identity;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.job.JobEvent;
import org.datasandbox.core.job.JobState;
import org.datasandbox.dp.accounting.BudgetStatus;
import org.junit.jupiter.api.Test;

/**
 * Rule: nothing derived from stored originals leaves (job output, masked sample, synthetic sample and its model fit,
 * a dev run on the masked sample, a policy draft, the one-row-per-unit check) unless the files read are exactly the
 * manifest's. Each tampering (a bucket file removed, one replaced by another's bytes, a stray one added) makes every
 * path fail closed with the same error: {@code EXECUTION_FAILED}, reason {@code STORED_FILES_MISMATCH}, naming the
 * table and no file or value; no budget is spent. The oracle that the refusals come from the tampering: restored,
 * the same masked sample is issued again.
 */
class TamperedOriginalsReadersTest {
    private static final String TABLE = "tamper_readers";
    private static final String SCENARIO = "tamper-readers";
    private static final String VALUE = "WARDVALUE";

    @Test
    void everyReaderOfTheOriginals_removedReplacedOrAddedFile_failsClosedWithTheSameError() throws Exception {
        Sandbox sandbox = TestSandbox.get();
        Identity admin = TestSandbox.as(Role.ADMIN);
        Identity developer = TestSandbox.as(Role.DEVELOPER);
        String tablePolicy = "kind: table-policy\ntable: " + TABLE + "\noutput: {mode: threshold, k: 2}\n"
                + "columns:\n  - {name: person_id, role: privacy_unit, mask: pseudonym}\n"
                + "  - {name: ward, role: dimension}\n";
        sandbox.applyPolicy(admin, tablePolicy);
        StringBuilder csv = new StringBuilder("person_id,ward\n");
        for (int id = 1; id <= 90; id++) {
            // uneven bucket sizes: one bucket's bytes replacing another's differ in size
            csv.append(id).append(',').append(VALUE).append(id % 7 == 0 ? "_A" : "_B" + (id % 11)).append('\n');
        }
        sandbox.registerDataset(TestSandbox.as(Role.PROVIDER), TABLE, "", csv.toString().getBytes(StandardCharsets.UTF_8),
                Map.of());
        sandbox.applyPolicy(admin, "kind: scenario\nid: " + SCENARIO + "\npurpose: fail-closed readers\n"
                + "developers: [\"" + developer.name() + "\"]\n"
                + "output: {mode: dp, epsilon: 0.5, delta: 1.0e-6, max_groups_per_unit: 1, max_rows_per_group: 1}\n"
                + "grants: {" + TABLE + ": [\"*\"]}\nbudget: {epsilon: 10, delta: 1.0e-5}\n");
        Path stored = TestSandbox.dataDir().resolve("data/originals").resolve(TABLE);
        List<Path> buckets;
        try (Stream<Path> files = Files.list(stored)) {
            buckets = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).sorted().toList();
        }
        assertThat(buckets).as("bucket files").hasSizeGreaterThan(1);
        Path bucket = buckets.get(0);
        byte[] original = Files.readAllBytes(bucket);
        byte[] other = Files.readAllBytes(buckets.get(1));
        assertThat(other.length).as("a replacement of another size").isNotEqualTo(original.length);
        List<String> spentBefore = spent(sandbox, admin);

        Files.delete(bucket);
        assertEveryReaderFailsClosed(sandbox, admin, developer, tablePolicy);
        Files.write(bucket, original);

        Files.write(bucket, other);
        assertEveryReaderFailsClosed(sandbox, admin, developer, tablePolicy);
        Files.write(bucket, original);

        Path stray = stored.resolve("part-99999-stray.c000.snappy.parquet");
        Files.write(stray, other);
        assertEveryReaderFailsClosed(sandbox, admin, developer, tablePolicy);
        Files.delete(stray);

        assertThat(spent(sandbox, admin)).as("no budget spent by a refused read").isEqualTo(spentBefore);
        var restored = sandbox.sample(developer, SCENARIO, TABLE, "masked", "arrow", 1_000);
        assertThat(restored.rows()).as("the masked sample, once the files are restored").isPositive();
    }

    private static void assertEveryReaderFailsClosed(Sandbox sandbox, Identity admin, Identity developer,
                                                     String tablePolicy) throws Exception {
        Map<String, SandboxException> refusals = new LinkedHashMap<>();
        refusals.put("masked sample", refused(() -> sandbox.sample(developer, SCENARIO, TABLE, "masked", "arrow", 100)));
        refusals.put("synthetic sample", refused(() -> sandbox.sample(developer, SCENARIO, TABLE, "synthetic", "arrow", 100)));
        refusals.put("dev run", refused(() -> sandbox.devRun(developer, SCENARIO,
                "SELECT ward, COUNT(*) AS n FROM " + TABLE + " GROUP BY ward")));
        refusals.put("policy draft", refused(() -> sandbox.proposePolicy(admin, TABLE)));
        refusals.put("scenario draft", refused(() -> sandbox.proposeScenario(admin, TABLE)));
        refusals.put("one row per unit", refused(() -> sandbox.applyPolicy(admin,
                tablePolicy + "one_row_per_unit: true\n")));
        refusals.forEach((path, e) -> {
            assertThat(e.code()).as(path).isEqualTo(ErrorCode.EXECUTION_FAILED);
            assertThat(e.details()).as(path).containsEntry("reason", "STORED_FILES_MISMATCH").containsEntry("table", TABLE);
            assertThat(e.getMessage()).as(path).contains("'" + TABLE + "'").doesNotContain(VALUE).doesNotContain("part-")
                    .doesNotContain(".parquet");
        });

        String job = sandbox.submitJob(developer, SCENARIO, "SELECT ward, COUNT(*) AS n FROM " + TABLE + " GROUP BY ward")
                .jobId();
        CompletableFuture<JobEvent> end = new CompletableFuture<>();
        sandbox.watchJob(developer, job, e -> {
            if (e.state().isTerminal()) {
                end.complete(e);
            }
        });
        JobEvent last = end.get(120, TimeUnit.SECONDS);
        assertThat(last.state()).as(last.toString()).isEqualTo(JobState.FAILED);
        assertThat(last.errorCode()).isEqualTo("EXECUTION_FAILED");
        assertThat(last.message()).as("the job's error is the samples' error")
                .isEqualTo(refusals.get("masked sample").getMessage());
    }

    private static SandboxException refused(ThrowingCall call) throws Exception {
        try {
            call.run();
        } catch (SandboxException e) {
            return e;
        }
        throw new AssertionError("read the tampered originals without a refusal");
    }

    /** Every account's spent epsilon and delta, as the budget view shows them. */
    private static List<String> spent(Sandbox sandbox, Identity admin) {
        return sandbox.budget(admin, SCENARIO).accounts().stream().map(BudgetStatus::spent).map(Object::toString).toList();
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Exception;
    }
}
