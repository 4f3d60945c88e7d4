package org.datasandbox.api.flight;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.spark.sql.SparkSession;
import org.datasandbox.api.client.SandboxClient;
import org.datasandbox.api.server.SandboxServer;
import org.datasandbox.api.v1.JobState;
import org.datasandbox.api.v1.ReleaseRequestSummary;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.config.SandboxConfig;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.identity.CertificateAuthority;
import org.datasandbox.core.identity.PkiLayout;
import org.datasandbox.core.identity.Role;

/**
 * A real job's extract end to end, timed: a generated table of ten times as many people as the extract has rows is
 * registered (Parquet, over gRPC), a review-mode scenario (k = 10, the floor) lets a developer group it by a key ten
 * people share, the
 * job streams its output into sealed storage (submit to HELD: "job to sealed"), a reviewer approves it, and the
 * developer reads it over Flight {@code DoGet} (mutual TLS, loopback, the same JVM), against writing the same batches
 * from a plain IPC file to an in-memory IPC stream. The heap is sampled every 20 ms during the job and during the
 * reads (server and client share the JVM: an upper bound of the server's).
 *
 * <pre>[FLIGHT_JAVA_OPTS=-Dflight.profile=SM] ./benchmarks/flight-job [rows=10000000] [repetitions=3]</pre>
 */
public final class FlightJobThroughput {
    private static final String SCENARIO = "extract-benchmark";
    private static final int GROUP = 10;
    private static final String SQL = "SELECT g, district, COUNT(*) AS people FROM extract_src GROUP BY g, district";

    private FlightJobThroughput() {
    }

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        int repetitions = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        CryptoProfile.Kind profile = CryptoProfile.Kind.parse(System.getProperty("flight.profile", "INTERNATIONAL"));
        Path dir = Files.createTempDirectory("flight-job");
        try (Sandbox sandbox = Sandbox.open(SandboxConfig.embedded(dir.resolve("sandbox")).withCryptoProfile(profile)
                .withMaxExtractRows((int) Math.max(rows, SandboxConfig.DEFAULT_EXTRACT_ROWS)))) {
            SandboxServer server = SandboxServer.start(sandbox, 0);
            FlightResultServer flight = FlightResultServer.start(sandbox, "127.0.0.1", 0);
            PkiLayout pki = sandbox.authority().layout();
            try (SandboxClient provider = SandboxClient.forRole(pki, Role.PROVIDER, server.port());
                 SandboxClient admin = SandboxClient.forRole(pki, Role.ADMIN, server.port());
                 SandboxClient developer = SandboxClient.forRole(pki, Role.DEVELOPER, server.port());
                 SandboxClient reviewer = SandboxClient.forRole(pki, Role.REVIEWER, server.port())) {
                long started = System.nanoTime();
                Path parquet = generate(dir.resolve("generated"), GROUP * rows);
                try (InputStream in = new BufferedInputStream(Files.newInputStream(parquet), 1 << 20)) {
                    provider.registerDataset("extract_src", "", "parquet", in, Map.of());
                }
                Files.delete(parquet);
                admin.applyPolicy("kind: table-policy\ntable: extract_src\none_row_per_unit: true\ncolumns:\n"
                        + "  - {name: person_id, role: privacy_unit}\n  - {name: g, role: dimension}\n"
                        + "  - {name: district, role: dimension}\n");
                admin.applyPolicy("kind: scenario\nid: " + SCENARIO + "\npurpose: benchmark\ndevelopers: [\""
                        + CertificateAuthority.DEMO_HOLDERS.get(Role.DEVELOPER) + "\"]\n"
                        + "output: {mode: review, k: " + GROUP + ", reviewers: 1}\ngrants: {extract_src: [\"*\"]}\n");
                System.out.printf(Locale.ROOT, "generated and registered %,d people in %.1f s (%s profile)%n", GROUP * rows,
                        (System.nanoTime() - started) / 1e9, profile);
                var credentials = SandboxClient.credentials(pki.caCertificate(), pki.clientCertificate(Role.DEVELOPER),
                        pki.clientKey(Role.DEVELOPER));
                List<Double> jobs = new ArrayList<>();
                List<Double> gets = new ArrayList<>();
                List<Double> local = new ArrayList<>();
                long jobHeap = 0;
                long getHeap = 0;
                long offHeap = 0;
                Path copy = dir.resolve("copy.arrows");
                for (int i = 0; i < repetitions; i++) {
                    HeapWatch watch = HeapWatch.start(flight);
                    long submitted = System.nanoTime();
                    String job = developer.submitJob(SCENARIO, SQL).getJobId();
                    JobState state = developer.watchJob(job, e -> { }).getState();
                    jobs.add((System.nanoTime() - submitted) / 1e9);
                    watch.stop();
                    jobHeap = Math.max(jobHeap, watch.peakHeap.get());
                    offHeap = Math.max(offHeap, watch.peakOffHeap.get());
                    if (state != JobState.HELD) {
                        throw new IllegalStateException("the job ended " + state);
                    }
                    ReleaseRequestSummary request = reviewer.listReleaseRequests("PENDING").getRequestsList().stream()
                            .filter(r -> r.getJobId().equals(job)).findFirst().orElseThrow();
                    reviewer.decideRelease(request.getId(), "APPROVE", "benchmark");
                    watch = HeapWatch.start(flight);
                    long read = System.nanoTime();
                    doGet(flight.port(), credentials, job, rows, i == 0 ? copy : null);
                    gets.add((System.nanoTime() - read) / 1e9);
                    watch.stop();
                    getHeap = Math.max(getHeap, watch.peakHeap.get());
                    offHeap = Math.max(offHeap, watch.peakOffHeap.get());
                    local.add(ipcInMemory(copy, rows));
                }
                long bytes = Files.size(copy);
                double mb = bytes / 1e6;
                double get = Collections.min(gets);
                double mem = Collections.min(local);
                System.out.printf(Locale.ROOT, "extract: %,d rows, %,d bytes of Arrow IPC%n", rows, bytes);
                System.out.printf(Locale.ROOT, "job, submit to sealed and held: best %.2f s  %,.0f rows/s  (runs %s)%n",
                        Collections.min(jobs), rows / Collections.min(jobs), jobs);
                System.out.printf(Locale.ROOT, "in-memory IPC stream: best %.2f s  %.0f MB/s  %,.0f rows/s  (runs %s)%n",
                        mem, mb / mem, rows / mem, local);
                System.out.printf(Locale.ROOT, "Flight DoGet (TLS) of the approved extract, from sealed storage: best %.2f s"
                        + "  %.0f MB/s  %,.0f rows/s  ratio %.2fx  (runs %s)%n", get, mb / get, rows / get, mem / get, gets);
                System.out.printf(Locale.ROOT, "peak heap used (sampled every 20 ms; %,d MiB max): during the job %,d MiB,"
                        + " during DoGet %,d MiB (client and server); Flight allocator peak %,d KiB%n",
                        Runtime.getRuntime().maxMemory() >> 20, jobHeap >> 20, getHeap >> 20, offHeap >> 10);
            } finally {
                flight.close();
                server.close();
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** The people: a unit id, a group key ten of them share, its district's name; one Parquet file. */
    private static Path generate(Path dir, long people) throws Exception {
        SparkSession.active().range(0, people).selectExpr("id AS person_id", "id DIV " + GROUP + " AS g",
                        "element_at(array('江岸区', '江汉区', '硚口区', '汉阳区', '武昌区', '青山区', '洪山区', '东西湖区'), "
                                + "CAST((id DIV " + GROUP + ") % 8 AS INT) + 1) AS district")
                .coalesce(1).write().parquet(dir.toString());
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
    }

    /** The approved extract over DoGet, every batch decoded (and the first time kept as a plain IPC file). */
    private static void doGet(int port, io.grpc.ChannelCredentials credentials, String job, long rows, Path copy)
            throws Exception {
        long seen = 0;
        try (BufferAllocator allocator = new RootAllocator(256L << 20);
             FlightClient client = FlightClients.connect(allocator, "localhost", port, credentials, 16 << 20);
             FlightStream stream = client.getStream(new Ticket(job.getBytes(StandardCharsets.UTF_8)))) {
            OutputStream out = copy == null ? OutputStream.nullOutputStream()
                    : new BufferedOutputStream(Files.newOutputStream(copy), 1 << 20);
            try (out; ArrowStreamWriter writer = new ArrowStreamWriter(stream.getRoot(), null, Channels.newChannel(out))) {
                writer.start();
                while (stream.next()) {
                    seen += stream.getRoot().getRowCount();
                    if (copy != null) {
                        writer.writeBatch();
                    }
                }
                writer.end();
            }
        }
        if (seen != rows) {
            throw new IllegalStateException("read " + seen + " rows of " + rows);
        }
    }

    /** Seconds to read the stored batches and write them as an IPC stream to memory (a sink that keeps none). */
    private static double ipcInMemory(Path stored, long rows) throws Exception {
        long started = System.nanoTime();
        long seen = 0;
        try (BufferAllocator allocator = new RootAllocator(256L << 20);
             InputStream in = new BufferedInputStream(Files.newInputStream(stored), 1 << 20);
             ArrowStreamReader reader = new ArrowStreamReader(in, allocator);
             ArrowStreamWriter writer = new ArrowStreamWriter(reader.getVectorSchemaRoot(), null,
                     Channels.newChannel(OutputStream.nullOutputStream()))) {
            writer.start();
            while (reader.loadNextBatch()) {
                seen += reader.getVectorSchemaRoot().getRowCount();
                writer.writeBatch();
            }
            writer.end();
        }
        if (seen != rows) {
            throw new IllegalStateException("read " + seen + " rows of " + rows);
        }
        return (System.nanoTime() - started) / 1e9;
    }
}
