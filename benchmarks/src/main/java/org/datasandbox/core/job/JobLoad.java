package org.datasandbox.core.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.datasandbox.api.client.SandboxClient;
import org.datasandbox.api.server.SandboxServer;
import org.datasandbox.api.v1.JobEvent;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.config.SandboxConfig;
import org.datasandbox.core.demodata.HubeiDemoData;
import org.datasandbox.core.identity.Role;

/**
 * A load test of the job service, bounded in time and count, on loopback only: a sandbox and its TLS
 * server in this JVM, N developers with their own certificates, one of them greedy (submits its whole
 * backlog at once and resubmits what the per-developer limit refuses), the others patient (one job at a
 * time: submit, watch to the end, next). Prints p50/p99 latency from submission to the job's end per
 * developer, and two fairness figures: Jain's index over the patient developers' mean latencies (1 is
 * equal treatment) and the patient developers' p50 against the greedy developer's.
 *
 * <pre>./benchmarks/load [developers=20] [greedyJobs=80] [jobsPerDeveloper=4] [deadlineSeconds=600]</pre>
 */
public final class JobLoad {
    private static final String SCENARIO = "load-study";
    private static final String SQL = "SELECT district, COUNT(*) AS n FROM residents GROUP BY district";

    private JobLoad() {
    }

    /**
     * What one developer saw, filled in while the test runs: latencies of ended jobs (ms), submissions
     * refused by a limit, jobs that ended without a release, jobs still open at the deadline.
     */
    private record Outcome(String developer, List<Long> latencies, AtomicInteger refusals, AtomicInteger notReleased,
                           AtomicInteger open, Map<String, Integer> errors) {
        Outcome(String developer) {
            this(developer, Collections.synchronizedList(new ArrayList<>()), new AtomicInteger(), new AtomicInteger(),
                    new AtomicInteger(), new ConcurrentHashMap<>());
        }

        /** Counts a refused or failed call by its status code (the text before the first colon). */
        void refused(RuntimeException e) {
            refusals.incrementAndGet();
            String message = String.valueOf(e.getMessage());
            errors.merge(message.contains(":") ? message.substring(0, message.indexOf(':')) : e.getClass().getSimpleName(),
                    1, Integer::sum);
        }
    }

    public static void main(String[] args) throws Exception {
        int developers = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int greedyJobs = args.length > 1 ? Integer.parseInt(args[1]) : 80;
        int jobsEach = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(args.length > 3 ? Long.parseLong(args[3]) : 600);
        Path dir = Files.createTempDirectory("job-load");
        try (Sandbox sandbox = Sandbox.open(SandboxConfig.embedded(dir).withSampleRows(200))) {
            SandboxServer server = SandboxServer.start(sandbox, 0);
            try {
                List<String> names = new ArrayList<>();
                for (int i = 1; i <= developers; i++) {
                    names.add(String.format(Locale.ROOT, "Load Developer %02d", i));
                }
                setUp(sandbox, server, names);
                long started = System.nanoTime();
                ExecutorService pool = Executors.newFixedThreadPool(developers);
                List<Future<?>> futures = new ArrayList<>();
                List<Outcome> outcomes = new ArrayList<>();
                for (int i = 0; i < developers; i++) {
                    SandboxClient client = client(sandbox, server, dir, names.get(i));
                    Outcome outcome = new Outcome(names.get(i) + (i == 0 ? " (greedy)" : ""));
                    outcomes.add(outcome);
                    futures.add(pool.submit(i == 0 ? () -> greedy(outcome, client, greedyJobs, deadline)
                            : () -> patient(outcome, client, jobsEach, deadline)));
                }
                for (Future<?> future : futures) {
                    try {
                        future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    } catch (java.util.concurrent.TimeoutException e) {
                        break; // the deadline: report what ended
                    } catch (java.util.concurrent.ExecutionException e) {
                        // a developer's thread stopped at the deadline (a watch still open): its figures stand
                    }
                }
                pool.shutdownNow();
                report(outcomes, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), sandbox.config());
            } finally {
                server.close();
            }
        }
        System.exit(0);
    }

    private static void setUp(Sandbox sandbox, SandboxServer server, List<String> names) throws Exception {
        Path examples = examples();
        HubeiDemoData.Tables hubei = HubeiDemoData.generate(2_500, 11);
        try (SandboxClient provider = SandboxClient.forRole(sandbox.authority().layout(), Role.PROVIDER, server.port());
             SandboxClient admin = SandboxClient.forRole(sandbox.authority().layout(), Role.ADMIN, server.port())) {
            provider.registerDataset("residents", "", hubei.residentsCsv(), HubeiDemoData.RESIDENT_TYPES.entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().name().toLowerCase(Locale.ROOT))));
            admin.applyPolicy(Files.readString(examples.resolve("policies/residents.yaml")));
            admin.applyPolicy("kind: scenario\nid: " + SCENARIO + "\npurpose: load test\ndevelopers: ["
                    + names.stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(", "))
                    + "]\noutput: {mode: threshold, k: 10}\ngrants:\n  residents: [\"*\"]\n");
        }
    }

    private static SandboxClient client(Sandbox sandbox, SandboxServer server, Path dir, String name) throws Exception {
        Path certificate = dir.resolve(name.replace(' ', '-') + ".crt");
        Path key = dir.resolve(name.replace(' ', '-') + ".key");
        sandbox.authority().issueClient(name, Role.DEVELOPER, certificate, key);
        SandboxClient client = new SandboxClient("localhost", server.port(),
                SandboxClient.credentials(sandbox.authority().layout().caCertificate(), certificate, key));
        // connect before the clock starts: twenty TLS handshakes at once on a loaded machine time out
        for (int attempt = 1; ; attempt++) {
            try {
                client.listCatalog();
                return client;
            } catch (RuntimeException e) {
                if (attempt == 10) {
                    throw e;
                }
                Thread.sleep(2_000);
            }
        }
    }

    /** Submits the whole backlog at once; what a limit refuses is submitted again a second later. */
    private static Void greedy(Outcome outcome, SandboxClient client, int jobs, long deadline) throws Exception {
        ExecutorService watchers = Executors.newFixedThreadPool(8);
        List<Future<?>> watches = new ArrayList<>();
        int submitted = 0;
        while (submitted < jobs && System.nanoTime() < deadline) {
            long at = System.nanoTime();
            try {
                String job = client.submitJob(SCENARIO, SQL).getJobId();
                submitted++;
                outcome.open().incrementAndGet();
                watches.add(watchers.submit(() -> follow(outcome, client, job, at)));
            } catch (RuntimeException refused) {
                // RESOURCE_EXHAUSTED (maxQueuedPerDeveloper): what a greedy client does is try again soon
                outcome.refused(refused);
                Thread.sleep(1_000);
            }
        }
        for (Future<?> watch : watches) {
            watch.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        watchers.shutdown();
        return null;
    }

    private static void follow(Outcome outcome, SandboxClient client, String job, long submittedAt) {
        JobEvent last = client.watchJob(job, e -> { });
        outcome.latencies().add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - submittedAt));
        outcome.open().decrementAndGet();
        if (last == null || !last.getState().name().equals("RELEASED")) {
            outcome.notReleased().incrementAndGet();
        }
    }

    /** One job at a time: submit, follow it to its end, then the next. */
    private static Void patient(Outcome outcome, SandboxClient client, int jobs, long deadline) {
        for (int i = 0; i < jobs && System.nanoTime() < deadline; i++) {
            long at = System.nanoTime();
            try {
                String job = client.submitJob(SCENARIO, SQL).getJobId();
                outcome.open().incrementAndGet();
                follow(outcome, client, job, at);
            } catch (RuntimeException refused) {
                outcome.refused(refused);
            }
        }
        return null;
    }

    private static void report(List<Outcome> outcomes, long seconds, SandboxConfig config) {
        System.out.printf(Locale.ROOT, "job load: %d developers, %d s, limits %s%n", outcomes.size(), seconds,
                config.jobLimits());
        System.out.printf(Locale.ROOT, "%-28s %5s %8s %8s %8s %8s %8s%n", "developer", "ended", "p50 ms", "p99 ms",
                "refused", "failed", "open");
        List<Long> patientAll = new ArrayList<>();
        List<Double> patientMeans = new ArrayList<>();
        for (Outcome o : outcomes) {
            System.out.printf(Locale.ROOT, "%-28s %5d %8d %8d %8d %8d %8d%n", o.developer(), o.latencies().size(),
                    percentile(o.latencies(), 50), percentile(o.latencies(), 99), o.refusals().get(), o.notReleased().get(),
                    o.open().get());
            if (!o.errors().isEmpty()) {
                System.out.printf(Locale.ROOT, "%-28s refusals by status: %s%n", "", new java.util.TreeMap<>(o.errors()));
            }
            if (!o.developer().endsWith("(greedy)")) {
                patientAll.addAll(o.latencies());
                patientMeans.add(o.latencies().stream().mapToLong(Long::longValue).average().orElse(0));
            }
        }
        double sum = patientMeans.stream().mapToDouble(Double::doubleValue).sum();
        double squares = patientMeans.stream().mapToDouble(m -> m * m).sum();
        double jain = squares == 0 ? 1 : sum * sum / (patientMeans.size() * squares);
        long greedyP50 = percentile(outcomes.get(0).latencies(), 50);
        System.out.printf(Locale.ROOT, "greedy developer: %d ended, %d still open at the end%n",
                outcomes.get(0).latencies().size(), outcomes.get(0).open().get());
        System.out.printf(Locale.ROOT, "patient developers, all jobs: p50 %d ms, p99 %d ms%n", percentile(patientAll, 50),
                percentile(patientAll, 99));
        System.out.printf(Locale.ROOT, "fairness: Jain's index over patient developers' mean latency %.3f; "
                + "patient p50 / greedy p50 = %.2f%n", jain, greedyP50 == 0 ? 0 : percentile(patientAll, 50) / (double) greedyP50);
    }

    /** Nearest-rank percentile; 0 for no values. */
    static long percentile(List<Long> values, int p) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Long> sorted;
        synchronized (values) {
            sorted = new ArrayList<>(values);
        }
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
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
