package org.datasandbox.api.flight;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.datasandbox.api.client.SandboxClient;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.config.SandboxConfig;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.custody.MasterKey;
import org.datasandbox.core.release.SealedResults;
import org.datasandbox.core.storage.KeyVault;
import org.datasandbox.core.identity.PkiLayout;
import org.datasandbox.core.identity.Role;

/**
 * Arrow Flight {@code DoGet} of a large released result on loopback, against writing the same batches to an
 * in-memory IPC stream, in one run. The result (an Int64 pseudonym, a district name, an Int64 count and a
 * Float64 average per row) is stored once as an Arrow IPC stream file and read batch by batch from there by
 * both sides, so the ratio is the price of Flight (TLS, gRPC framing, the client's decoding) over
 * serialization alone. The server is the sandbox's Flight server (mutual TLS, role check, ledger entry); the
 * client is Arrow's FlightClient in the same JVM, so the heap figure is client and server together, an upper
 * bound of the server's. Run with a small heap ({@code -Xmx512m} in {@code ./benchmarks/flight}): a result
 * many times larger streaming through it is the proof that neither side holds it.
 *
 * The same stream is also sealed in chunks as jobs' results are kept ({@code SealedResults}, under the SM and the
 * international profile; {@code -Dflight.sealed=SM,INTERNATIONAL|none}) and streamed from there, the price of
 * reading released results from sealed storage.
 *
 * <pre>[FLIGHT_JAVA_OPTS=-Dflight.sealed=...] ./benchmarks/flight [rows=10000000] [batchRows=65536] [repetitions=3] [window]</pre>
 */
public final class FlightThroughput {
    private static final Schema SCHEMA = new Schema(List.of(
            Field.nullable("person_pseudonym", new ArrowType.Int(64, true)),
            Field.nullable("district", ArrowType.Utf8.INSTANCE),
            Field.nullable("visits", new ArrowType.Int(64, true)),
            Field.nullable("avg_cost", new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE))));
    private static final String[] DISTRICTS = {"江岸区", "江汉区", "硚口区", "汉阳区", "武昌区", "青山区", "洪山区", "东西湖区"};

    private static final String PLAIN = "plain";
    private static final String SEALED = "result";
    private static final String SEALED_SCENARIO = "benchmark";

    private FlightThroughput() {
    }

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        int batchRows = args.length > 1 ? Integer.parseInt(args[1]) : 65_536;
        int repetitions = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int window = args.length > 3 ? Integer.parseInt(args[3]) : 16 << 20;
        Path dir = Files.createTempDirectory("flight-throughput");
        Path stored = dir.resolve("result.arrows");
        try (Sandbox sandbox = Sandbox.open(SandboxConfig.embedded(dir.resolve("sandbox")))) {
            long bytes = write(stored, rows, batchRows);
            java.util.Map<String, SealedResults> sealed = new java.util.LinkedHashMap<>();
            for (String kind : System.getProperty("flight.sealed", "SM,INTERNATIONAL").split(",")) {
                if (!kind.isBlank() && !kind.equals("none")) {
                    sealed.put(kind, sealedCopy(CryptoProfile.Kind.parse(kind), dir.resolve("sealed-" + kind), stored));
                }
            }
            // the ticket names the source: the plain IPC file, or the same stream sealed in chunks as jobs keep it
            // (under the SM or the international profile)
            ResultSource source = (caller, job, allocator) -> {
                try {
                    InputStream in = sealed.containsKey(job) ? sealed.get(job).reader(SEALED_SCENARIO, SEALED).orElseThrow()
                            : Files.newInputStream(stored);
                    ArrowStreamReader reader = new ArrowStreamReader(new BufferedInputStream(in, 1 << 20), allocator);
                    return new ReleasedStream(reader, reader.getVectorSchemaRoot().getSchema(), rows, bytes);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
            System.out.printf(Locale.ROOT, "result: %,d rows in batches of %,d, %,d bytes of Arrow IPC%n", rows, batchRows, bytes);
            List<Double> local = new ArrayList<>();
            List<Double> flight = new ArrayList<>();
            java.util.Map<String, List<Double>> sealedFlight = new java.util.LinkedHashMap<>();
            java.util.Map<String, List<Double>> sealedCpu = new java.util.LinkedHashMap<>();
            sealed.keySet().forEach(k -> {
                sealedFlight.put(k, new ArrayList<>());
                sealedCpu.put(k, new ArrayList<>());
            });
            List<Double> localCpu = new ArrayList<>();
            List<Double> flightCpu = new ArrayList<>();
            java.util.Map<String, Long> flightThreads = new java.util.TreeMap<>();
            long peakHeap = 0;
            long peakOffHeap = 0;
            try (FlightResultServer server = FlightResultServer.start(sandbox, source, "127.0.0.1", 0,
                    new FlightResultServer.Limits(256L << 20, 64L << 20))) {
                PkiLayout pki = sandbox.authority().layout();
                var credentials = SandboxClient.credentials(pki.caCertificate(), pki.clientCertificate(Role.DEVELOPER),
                        pki.clientKey(Role.DEVELOPER));
                ipcInMemory(stored, rows); // warm-up of both paths
                doGet(server.port(), credentials, rows, window, PLAIN);
                for (String kind : sealed.keySet()) {
                    doGet(server.port(), credentials, rows, window, kind);
                }
                for (int i = 0; i < repetitions; i++) {
                    long cpu = processCpuNanos();
                    local.add(ipcInMemory(stored, rows));
                    localCpu.add((processCpuNanos() - cpu) / 1e9);
                    HeapWatch watch = HeapWatch.start(server);
                    cpu = processCpuNanos();
                    java.util.Map<String, Long> threadsBefore = ThreadCpu.snapshot();
                    flight.add(doGet(server.port(), credentials, rows, window, PLAIN));
                    ThreadCpu.addDifference(threadsBefore, ThreadCpu.snapshot(), flightThreads);
                    flightCpu.add((processCpuNanos() - cpu) / 1e9);
                    for (String kind : sealed.keySet()) {
                        cpu = processCpuNanos();
                        sealedFlight.get(kind).add(doGet(server.port(), credentials, rows, window, kind));
                        sealedCpu.get(kind).add((processCpuNanos() - cpu) / 1e9);
                    }
                    watch.stop();
                    peakHeap = Math.max(peakHeap, watch.peakHeap.get());
                    peakOffHeap = Math.max(peakOffHeap, watch.peakOffHeap.get());
                }
            }
            double localBest = Collections.min(local);
            double flightBest = Collections.min(flight);
            double mb = bytes / 1e6;
            System.out.printf(Locale.ROOT, "in-memory IPC stream: best %.2f s  %.0f MB/s  %,.0f rows/s  (runs %s)%n",
                    localBest, mb / localBest, rows / localBest, local);
            System.out.printf(Locale.ROOT, "Flight DoGet (TLS):   best %.2f s  %.0f MB/s  %,.0f rows/s  (runs %s)%n",
                    flightBest, mb / flightBest, rows / flightBest, flight);
            System.out.printf(Locale.ROOT, "ratio (Flight / in-memory, throughput): %.2fx%n", localBest / flightBest);
            for (String kind : sealed.keySet()) {
                double best = Collections.min(sealedFlight.get(kind));
                System.out.printf(Locale.ROOT, "Flight DoGet (TLS) from sealed storage (%s profile, %,d bytes sealed): best "
                        + "%.2f s  %.0f MB/s  %,.0f rows/s  ratio %.2fx  (runs %s)%n", kind,
                        Files.size(sealed.get(kind).file(SEALED_SCENARIO, SEALED)), best, mb / best, rows / best,
                        localBest / best, sealedFlight.get(kind));
            }
            System.out.printf(Locale.ROOT, "CPU seconds of the whole process per run (all threads; a figure the machine's "
                    + "load does not inflate as much as wall time): in-memory %s, Flight %s, Flight from sealed %s%n",
                    localCpu, flightCpu, sealedCpu);
            System.out.printf(Locale.ROOT, "CPU by thread group per Flight DoGet from the IPC file (client and server share "
                    + "gRPC's event loops): %s%n", ThreadCpu.perRun(flightThreads, repetitions));
            System.out.printf(Locale.ROOT, "peak heap used while streaming (client and server, sampled every 20 ms): %,d MiB "
                    + "of %,d MiB max; peak off-heap of the Flight server's allocator: %,d KiB%n", peakHeap >> 20,
                    Runtime.getRuntime().maxMemory() >> 20, peakOffHeap >> 10);
        } finally {
            Files.deleteIfExists(stored);
            try (var files = Files.walk(dir)) {
                for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".sealed")).toList()) {
                    Files.delete(file); // 380 MB of ciphertext each
                }
            }
        }
    }

    /** The stored stream sealed in chunks under a scenario key of the sandbox's profile, as a job's result is kept. */
    private static SealedResults sealedCopy(CryptoProfile.Kind kind, Path dir, Path stored) throws IOException {
        CryptoProfile crypto = CryptoProfile.of(kind);
        SealedResults sealed = SealedResults.open(dir.resolve("results"), KeyVault.open(dir.resolve("keys"), crypto,
                MasterKey.inMemory(crypto, crypto.newSymmetricKey())), crypto);
        try (SealedResults.ResultWriter writer = sealed.writer(SEALED_SCENARIO, SEALED)) {
            Files.copy(stored, writer);
            writer.commit();
        }
        return sealed;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Writes the result as an Arrow IPC stream file, batch by batch; its size. */
    private static long write(Path file, long rows, int batchRows) throws IOException {
        byte[][] districts = new byte[DISTRICTS.length][];
        for (int i = 0; i < districts.length; i++) {
            districts[i] = DISTRICTS[i].getBytes(StandardCharsets.UTF_8);
        }
        try (BufferAllocator allocator = new RootAllocator(256L << 20);
             VectorSchemaRoot root = VectorSchemaRoot.create(SCHEMA, allocator);
             OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20);
             ArrowStreamWriter writer = new ArrowStreamWriter(root, null, Channels.newChannel(out))) {
            writer.start();
            for (long start = 0; start < rows; start += batchRows) {
                int n = (int) Math.min(batchRows, rows - start);
                root.allocateNew();
                BigIntVector ids = (BigIntVector) root.getVector(0);
                VarCharVector district = (VarCharVector) root.getVector(1);
                BigIntVector visits = (BigIntVector) root.getVector(2);
                Float8Vector cost = (Float8Vector) root.getVector(3);
                for (int r = 0; r < n; r++) {
                    long row = start + r;
                    ids.setSafe(r, row * 0x9E3779B97F4A7C15L); // a full 64-bit pseudonym
                    district.setSafe(r, districts[(int) (row % districts.length)]);
                    visits.setSafe(r, row % 37);
                    cost.setSafe(r, (row % 10_000) / 7.0);
                }
                root.setRowCount(n);
                writer.writeBatch();
            }
            writer.end();
        }
        return Files.size(file);
    }

    /** Seconds to read the stored batches and write them as an IPC stream to memory (a sink that keeps none). */
    private static double ipcInMemory(Path stored, long rows) throws IOException {
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
        check(seen, rows);
        return (System.nanoTime() - started) / 1e9;
    }

    /** Seconds for a developer's DoGet of the whole result over TLS on loopback, every batch decoded. */
    private static double doGet(int port, io.grpc.ChannelCredentials credentials, long rows, int window, String ticket)
            throws Exception {
        long started = System.nanoTime();
        long seen = 0;
        try (BufferAllocator allocator = new RootAllocator(256L << 20);
             FlightClient client = FlightClients.connect(allocator, "localhost", port, credentials, window);
             FlightStream stream = client.getStream(new Ticket(ticket.getBytes(StandardCharsets.UTF_8)))) {
            while (stream.next()) {
                seen += stream.getRoot().getRowCount();
            }
        }
        check(seen, rows);
        return (System.nanoTime() - started) / 1e9;
    }

    private static void check(long seen, long rows) {
        if (seen != rows) {
            throw new IllegalStateException("read " + seen + " rows of " + rows);
        }
    }
}
