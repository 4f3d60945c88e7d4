package org.datasandbox.guard.rewrite;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.config.SandboxConfig;
import org.datasandbox.core.demodata.HubeiDemoData;
import org.datasandbox.core.engine.SparkEngine;
import org.datasandbox.core.identity.CertificateAuthority;
import org.datasandbox.core.identity.Identity;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.job.JobEvent;
import org.datasandbox.core.job.JobState;
import org.datasandbox.core.release.ArrowResultWriter;

/**
 * Where the sandboxed aggregate's time goes, part by part, with {@code System.nanoTime} around each step (no log
 * line, no profiler): the median of {@code reps} rounds, the parts of a round interleaved so that the machine's
 * load falls on all of them alike. Two sections:
 * <ol>
 *   <li><b>query</b>, on {@link ThresholdAggregateBenchmark}'s tables and session ({@code rows} residents): the
 *       guard's check (parse, plan, rewrite, unparse), Spark's analysis ({@code spark.sql}) and planning
 *       ({@code executedPlan}) of the original and the rewritten SQL, their execution on plain and encrypted
 *       Parquet, the job's capped collect ({@code limit(cap + 1)}), and Arrow writing with hashing of the result;</li>
 *   <li><b>job</b>, an embedded {@link Sandbox} with {@code jobRows} generated residents: a whole job as the
 *       runtime runs it (guard gate, journal, queue hand-off to a worker, Spark, Arrow into sealed storage, ledger
 *       entries), followed to its end by a completion future on its events (no polling), then fetched, against
 *       the same rewritten SQL run directly in the sandbox's session: the difference is the job's fixed cost.</li>
 * </ol>
 * The query section's tables stay in {@code java.io.tmpdir} as the benchmark leaves them (delete them after); the
 * job section's sandbox directory is deleted at the end. README, Benchmarks, has the command line:
 * <pre>java $(spark-jvm.opens) -cp ... org.datasandbox.guard.rewrite.SandboxedAggregateParts [rows=1000000] [jobRows=20000] [reps=9]</pre>
 * ({@code jobRows} above 250,000 keeps the disclosure report's per-person query out, as at 10,000,000 rows).
 */
public final class SandboxedAggregateParts {
    private static final String SCENARIO = "parts-study";

    private SandboxedAggregateParts() {
    }

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        int jobRows = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 9;
        Map<String, List<Long>> query = queryParts(rows, reps);
        print("query parts, " + rows + " residents", query);
        SparkEngine.stopShared();
        Map<String, List<Long>> job = jobParts(jobRows, reps);
        print("job parts, " + jobRows + " residents, embedded sandbox", job);
        System.exit(0);
    }

    private static Map<String, List<Long>> queryParts(long rows, int reps) throws Exception {
        ThresholdAggregateBenchmark bench = new ThresholdAggregateBenchmark();
        bench.rows = rows;
        bench.master = "local[*]";
        bench.sparkSecretFile = "";
        bench.setupWarmUps = 0; // the harness keeps a warm-up round of its own
        bench.prepare();
        Map<String, List<Long>> times = new LinkedHashMap<>();
        String query = ThresholdAggregateBenchmark.QUERY;
        for (int round = -1; round < reps; round++) { // round -1 warms up and is not kept
            Map<String, List<Long>> into = round < 0 ? new LinkedHashMap<>() : times;
            time(into, "guard check (parse, plan, rewrite, unparse)", () -> bench.guard.check(query, bench.scenario));
            stages(into, "original SQL, plain Parquet", bench.plain, query);
            stages(into, "original SQL, encrypted Parquet", bench.encrypted, query);
            stages(into, "rewritten SQL, plain Parquet", bench.plain, bench.rewritten);
            stages(into, "rewritten SQL, encrypted Parquet", bench.encrypted, bench.rewritten);
            Dataset<Row> frame = bench.encrypted.sql(bench.rewritten);
            List<Row> capped = time(into, "rewritten SQL, encrypted, the job's limit(cap + 1).collect",
                    () -> frame.limit(10_001).collectAsList());
            time(into, "Arrow IPC writing and SHA-256 of the result", () -> {
                try {
                    DigestOutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(),
                            java.security.MessageDigest.getInstance("SHA-256"));
                    return ArrowResultWriter.write(frame.schema(), capped.iterator(), Map.of(), out, 10_000,
                            ArrowResultWriter.DEFAULT_ALLOCATOR_LIMIT, () -> false);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        bench.stop();
        return times;
    }

    /** Analysis, planning and execution of one query, timed apart. */
    private static void stages(Map<String, List<Long>> into, String label, SparkSession spark, String sql) {
        Dataset<Row> frame = time(into, label + ": analysis (spark.sql)", () -> spark.sql(sql));
        time(into, label + ": optimization and planning", () -> frame.queryExecution().executedPlan());
        time(into, label + ": execution and collect", frame::collectAsList);
    }

    private static Map<String, List<Long>> jobParts(int jobRows, int reps) throws Exception {
        Path dir = Files.createTempDirectory("sandboxed-aggregate-parts");
        Map<String, List<Long>> times = new LinkedHashMap<>();
        try (Sandbox sandbox = Sandbox.open(SandboxConfig.embedded(dir).withSampleRows(200))) {
            Identity provider = as(Role.PROVIDER);
            Identity admin = as(Role.ADMIN);
            Identity developer = as(Role.DEVELOPER);
            sandbox.registerDataset(provider, "residents", "", HubeiDemoData.generate(jobRows, 11).residentsCsv(),
                    HubeiDemoData.RESIDENT_TYPES);
            sandbox.applyPolicy(admin, Files.readString(examples().resolve("policies/residents.yaml")));
            sandbox.applyPolicy(admin, "kind: scenario\nid: " + SCENARIO + "\npurpose: timing the job path\ndevelopers: [\""
                    + developer.name() + "\"]\noutput: {mode: threshold, k: 10}\ngrants:\n  residents: [\"*\"]\n");
            SparkSession originals = originals(sandbox);
            String rewritten = sandbox.submitJob(developer, SCENARIO, ThresholdAggregateBenchmark.QUERY).rewrittenSql();
            for (int round = -2; round < reps; round++) { // two warm-up rounds, not kept
                Map<String, List<Long>> into = round < 0 ? new LinkedHashMap<>() : times;
                time(into, "the rewritten SQL run directly in the sandbox's session", () -> originals.sql(rewritten).collectAsList());
                long start = System.nanoTime();
                CompletableFuture<JobEvent> end = new CompletableFuture<>();
                String jobId = sandbox.submitJob(developer, SCENARIO, ThresholdAggregateBenchmark.QUERY).jobId();
                record(into, "job: submit (guard gate, journal, ledger entry, queue)", start);
                sandbox.watchJob(developer, jobId, e -> {
                    if (e.state().isTerminal()) {
                        end.complete(e);
                    }
                });
                JobEvent last = end.get(5, TimeUnit.MINUTES);
                record(into, "job: submit to released (completion future)", start);
                if (last.state() != JobState.RELEASED) {
                    throw new IllegalStateException("job ended " + last.state() + " " + last.errorCode());
                }
                long fetch = System.nanoTime();
                sandbox.fetchResult(developer, jobId);
                record(into, "job: fetch (sealed read, ledger entry)", fetch);
                time(into, "ledger: one entry appended", () -> sandbox.ledger().append(developer, "timing.probe", jobId, Map.of()));
            }
        } finally {
            org.datasandbox.core.storage.EncryptedParquet.deleteRecursively(dir); // generated data only
        }
        return times;
    }

    /** The sandbox's own session, where its original tables are: a harness reads it; the runtime never hands it out. */
    private static SparkSession originals(Sandbox sandbox) throws ReflectiveOperationException {
        java.lang.reflect.Field engine = Sandbox.class.getDeclaredField("engine");
        engine.setAccessible(true);
        return ((SparkEngine) engine.get(sandbox)).originals();
    }

    private static <T> T time(Map<String, List<Long>> into, String label, Supplier<T> step) {
        long start = System.nanoTime();
        T value = step.get();
        record(into, label, start);
        return value;
    }

    private static void record(Map<String, List<Long>> into, String label, long start) {
        into.computeIfAbsent(label, k -> new ArrayList<>()).add(System.nanoTime() - start);
    }

    private static void print(String title, Map<String, List<Long>> times) {
        System.out.println("== " + title + " (median ms, min..max, " + times.values().iterator().next().size() + " rounds)");
        times.forEach((label, nanos) -> {
            List<Long> sorted = nanos.stream().sorted().toList();
            System.out.printf(Locale.ROOT, "%9.2f  (%.2f..%.2f)  %s%n", sorted.get(sorted.size() / 2) / 1e6,
                    sorted.get(0) / 1e6, sorted.get(sorted.size() - 1) / 1e6, label);
        });
    }

    private static Identity as(Role role) {
        return new Identity(CertificateAuthority.DEMO_HOLDERS.get(role), role, "timing-" + role.label());
    }

    private static Path examples() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("examples").resolve("policies"))) {
                return p.resolve("examples");
            }
        }
        throw new IllegalStateException("examples folder not found");
    }
}
