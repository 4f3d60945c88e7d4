package org.datasandbox.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.ErrorInfo;
import io.grpc.ChannelCredentials;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.util.Text;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.datasandbox.api.client.SandboxClient;
import org.datasandbox.api.flight.FlightClients;
import org.datasandbox.api.flight.FlightResultServer;
import org.datasandbox.api.flight.ReleasedStream;
import org.datasandbox.api.v1.JobEvent;
import org.datasandbox.api.v1.JobState;
import org.datasandbox.api.v1.JobTicket;
import org.datasandbox.core.identity.CertificateAuthority;
import org.datasandbox.core.identity.PkiLayout;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.release.ArrowResults;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Released results over Arrow Flight against a real TLS server: the same rows as {@code FetchResult}, the same
 * people allowed, refusals as Flight statuses carrying the sandbox's ErrorInfo, and back-pressure.
 */
class FlightResultsTest {
    private static final String SQL = "SELECT district, COUNT(*) AS n FROM residents GROUP BY district";
    private static GrpcFixture fixture;
    private static FlightResultServer flight;
    private static SandboxClient.Result fetched;
    private static String jobId;

    @BeforeAll
    static void start() throws Exception {
        fixture = GrpcFixture.get();
        flight = FlightResultServer.start(fixture.sandbox, "127.0.0.1", 0);
        SandboxClient developer = fixture.client(Role.DEVELOPER);
        JobTicket ticket = developer.submitJob(GrpcFixture.SCENARIO, SQL);
        assertThat(developer.watchJob(ticket.getJobId(), e -> { }).getState()).isEqualTo(JobState.RELEASED);
        jobId = ticket.getJobId();
        fetched = developer.fetchResult(jobId);
    }

    @AfterAll
    static void stop() {
        flight.close(); // fails if a stream kept a buffer
    }

    private static FlightClient client(ChannelCredentials credentials, int port, BufferAllocator allocator) {
        return FlightClients.connect(allocator, "localhost", port, credentials);
    }

    private static ChannelCredentials demo(Role role) throws IOException {
        PkiLayout pki = fixture.sandbox.authority().layout();
        return SandboxClient.credentials(pki.caCertificate(), pki.clientCertificate(role), pki.clientKey(role));
    }

    /** Every row of a Flight stream, as Java values in the shape {@link ArrowResults#decode} gives. */
    private static List<List<Object>> rows(FlightStream stream) {
        List<List<Object>> rows = new ArrayList<>();
        while (stream.next()) {
            VectorSchemaRoot root = stream.getRoot();
            for (int r = 0; r < root.getRowCount(); r++) {
                List<Object> row = new ArrayList<>();
                for (FieldVector vector : root.getFieldVectors()) {
                    Object value = vector.getObject(r);
                    row.add(value instanceof Text text ? text.toString() : value);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static List<List<Object>> doGet(ChannelCredentials credentials, String job) throws Exception {
        try (BufferAllocator allocator = new RootAllocator(64L << 20);
             FlightClient client = client(credentials, flight.port(), allocator);
             FlightStream stream = client.getStream(new Ticket(job.getBytes(StandardCharsets.UTF_8)))) {
            return rows(stream);
        }
    }

    private static void assertRefused(ThrowingCallable call, FlightStatusCode code, String reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(FlightRuntimeException.class, e -> {
            assertThat(e.status().code()).as(e.getMessage()).isEqualTo(code);
            if (reason != null) {
                ErrorInfo info = errorInfo(e);
                assertThat(info.getDomain()).isEqualTo("datasandbox.org");
                assertThat(info.getReason()).isEqualTo(reason);
            }
            assertThat(e.getMessage()).doesNotContain("Wang Fang");
        });
    }

    /** The google.rpc.ErrorInfo in the status-details trailer of a Flight error. */
    private static ErrorInfo errorInfo(FlightRuntimeException e) {
        byte[] details = e.status().metadata().getByte("grpc-status-details-bin");
        assertThat(details).as("grpc-status-details-bin trailer").isNotNull();
        try {
            for (var any : com.google.rpc.Status.parseFrom(details).getDetailsList()) {
                if (any.is(ErrorInfo.class)) {
                    return any.unpack(ErrorInfo.class);
                }
            }
        } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
            throw new AssertionError(ex);
        }
        throw new AssertionError("no ErrorInfo");
    }

    @Test
    void doGet_ownReleasedJob_equalsFetchResult() throws Exception {
        List<List<Object>> viaFlight = doGet(demo(Role.DEVELOPER), jobId);

        assertThat(viaFlight).isNotEmpty().isEqualTo(ArrowResults.decode(fetched.arrowIpc()).rows());
        assertThat((long) viaFlight.size()).isEqualTo(fetched.receipt().getRows());
    }

    @Test
    void getFlightInfo_ownReleasedJob_describesSchemaRolesAndEndpoint() throws Exception {
        Map<String, String> catalogRoles = new java.util.HashMap<>();
        fixture.client(Role.DEVELOPER).listCatalog().getTablesList().stream().filter(t -> t.getName().equals("residents"))
                .flatMap(t -> t.getColumnsList().stream())
                .forEach(c -> catalogRoles.put(c.getName(), c.getRole() + "/" + c.getClassification()));
        try (BufferAllocator allocator = new RootAllocator(16L << 20);
             FlightClient client = client(demo(Role.DEVELOPER), flight.port(), allocator)) {
            FlightInfo info = client.getInfo(FlightDescriptor.path("results", jobId));

            assertThat(info.getRecords()).isEqualTo(fetched.receipt().getRows());
            assertThat(info.getEndpoints()).singleElement().satisfies(endpoint ->
                    assertThat(new String(endpoint.getTicket().getBytes(), StandardCharsets.UTF_8)).isEqualTo(jobId));
            var schema = info.getSchemaOptional().orElseThrow();
            assertThat(schema.getFields()).extracting(Field::getName).containsExactly("district", "n");
            Field district = schema.findField("district");
            assertThat(district.getMetadata().get("datasandbox.role") + "/"
                    + district.getMetadata().get("datasandbox.classification")).isEqualTo(catalogRoles.get("district"));
            Field n = schema.findField("n");
            assertThat(n.getMetadata()).containsEntry("datasandbox.role", "derived").containsEntry("datasandbox.int64", "bigint");
            assertThat(schema.getCustomMetadata()).containsEntry("datasandbox.job", jobId)
                    .containsEntry("datasandbox.sha", fetched.receipt().getSha())
                    .containsEntry("datasandbox.rows", Long.toString(fetched.receipt().getRows()))
                    .hasEntrySatisfying("datasandbox.int64", note -> assertThat(note).contains("BigInt"));
            // DoGet's stream carries the same annotated schema
            try (FlightStream stream = client.getStream(info.getEndpoints().get(0).getTicket())) {
                assertThat(stream.getSchema()).isEqualTo(schema);
                rows(stream);
            }
        }
    }

    @Test
    void doGet_anotherDevelopersJob_isNotFound() throws Exception {
        Path dir = Files.createTempDirectory("flight-other-developer");
        fixture.caTool().issueClient("Zhou Min", Role.DEVELOPER, dir.resolve("c.crt"), dir.resolve("c.key"));
        ChannelCredentials other = SandboxClient.credentials(fixture.sandbox.authority().layout().caCertificate(),
                dir.resolve("c.crt"), dir.resolve("c.key"));

        assertRefused(() -> doGet(other, jobId), FlightStatusCode.NOT_FOUND, "NOT_FOUND");
        assertRefused(() -> doGet(demo(Role.DEVELOPER), "job-000000000000"), FlightStatusCode.NOT_FOUND, "NOT_FOUND");
    }

    @Test
    void doGet_otherRolesAndWrongCertificates_getNothing() throws Exception {
        assertRefused(() -> doGet(demo(Role.ADMIN), jobId), FlightStatusCode.UNAUTHORIZED, "PERMISSION_DENIED");
        assertRefused(() -> doGet(demo(Role.AUDITOR), jobId), FlightStatusCode.UNAUTHORIZED, "PERMISSION_DENIED");
        var anonymous = TlsChannelCredentials.newBuilder()
                .trustManager(fixture.sandbox.authority().layout().caCertificate().toFile()).build();
        assertRefused(() -> doGet(anonymous, jobId), FlightStatusCode.UNAUTHENTICATED, "UNAUTHENTICATED");
        PkiLayout foreign = CertificateAuthority.openOrCreate(PkiLayout.under(Files.createTempDirectory("flight-foreign")))
                .layout();
        var impostor = SandboxClient.credentials(fixture.sandbox.authority().layout().caCertificate(),
                foreign.clientCertificate(Role.DEVELOPER), foreign.clientKey(Role.DEVELOPER));
        // a certificate of another CA fails the TLS handshake: the client sees the server as unavailable
        assertRefused(() -> doGet(impostor, jobId), FlightStatusCode.UNAVAILABLE, null);
    }

    @Test
    void doGet_revokedCertificate_isUnauthenticated() throws Exception {
        Path dir = Files.createTempDirectory("flight-revoked");
        fixture.caTool().issueClient("Sun Li", Role.DEVELOPER, dir.resolve("c.crt"), dir.resolve("c.key"));
        ChannelCredentials credentials = SandboxClient.credentials(fixture.sandbox.authority().layout().caCertificate(),
                dir.resolve("c.crt"), dir.resolve("c.key"));
        // authenticated (the job is not theirs), until the certificate is revoked
        assertRefused(() -> doGet(credentials, jobId), FlightStatusCode.NOT_FOUND, "NOT_FOUND");
        var certificate = (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(Files.newInputStream(dir.resolve("c.crt")));
        fixture.caTool().revoke(new org.datasandbox.core.identity.CertificateSerial(certificate.getSerialNumber()));

        assertRefused(() -> doGet(credentials, jobId), FlightStatusCode.UNAUTHENTICATED, "UNAUTHENTICATED");
    }

    @Test
    void doGet_jobWithoutReleasedResult_isFailedPrecondition() throws Exception {
        SandboxClient developer = fixture.client(Role.DEVELOPER);
        fixture.client(Role.PROVIDER).registerDataset("flight_scratch", "",
                "sid,grp\n1,a\n2,b\n".getBytes(StandardCharsets.UTF_8), Map.of());
        fixture.client(Role.ADMIN).applyPolicy("kind: table-policy\ntable: flight_scratch\ncolumns:\n"
                + "  - {name: sid, role: privacy_unit}\n  - {name: grp, role: dimension}\n");
        fixture.client(Role.ADMIN).applyPolicy("kind: scenario\nid: flight-scratch\npurpose: a job that fails\n"
                + "developers: [\"Wang Fang\"]\ngrants:\n  flight_scratch: [\"*\"]\n");
        try (Stream<Path> files = Files.walk(fixture.dataDir.resolve("data/originals/flight_scratch"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".parquet")).toList()) {
                // garbage of the same size in place of each file: a file deleted or resized fails the job before
                // Spark reads it (its recorded files differ); garbage makes Spark itself fail on the originals
                Files.write(file, new byte[Math.toIntExact(Files.size(file))]);
            }
        }
        JobTicket ticket = developer.submitJob("flight-scratch", "SELECT grp, COUNT(*) AS n FROM flight_scratch GROUP BY grp");
        JobEvent last = developer.watchJob(ticket.getJobId(), e -> { });
        assertThat(last.getState()).isEqualTo(JobState.FAILED);

        // Flight has no FAILED_PRECONDITION: gRPC's code arrives as Flight's nearest, with the reason NOT_READY
        assertThatThrownBy(() -> doGet(demo(Role.DEVELOPER), ticket.getJobId()))
                .isInstanceOfSatisfying(FlightRuntimeException.class,
                        e -> assertThat(errorInfo(e).getReason()).isEqualTo("NOT_READY"));
    }

    @Test
    void doGet_badTicket_isInvalidArgumentWithoutEchoingIt() throws Exception {
        byte[] garbage = {(byte) 0xff, (byte) 0xfe, 'x'};
        try (BufferAllocator allocator = new RootAllocator(16L << 20);
             FlightClient client = client(demo(Role.DEVELOPER), flight.port(), allocator)) {
            assertRefused(() -> rows(client.getStream(new Ticket(garbage))), FlightStatusCode.INVALID_ARGUMENT,
                    "INVALID_ARGUMENT");
            assertRefused(() -> client.getInfo(FlightDescriptor.path("elsewhere", jobId)),
                    FlightStatusCode.INVALID_ARGUMENT, "INVALID_ARGUMENT");
        }
    }

    @Test
    void doGet_slowClient_serverReadsOnlyWhatTheClientTakes() throws Exception {
        int batches = 2_000;
        int rows = 1_024; // ~30 KiB a batch: the whole result is ~60 MiB, far above the server's 4 MiB allocator
        AtomicInteger loaded = new AtomicInteger();
        var source = (org.datasandbox.api.flight.ResultSource) (caller, job, allocator) -> new ReleasedStream(
                new GeneratedBatches(allocator, batches, rows, loaded), GeneratedBatches.SCHEMA, (long) batches * rows, -1);
        try (FlightResultServer small = FlightResultServer.start(fixture.sandbox, source, "127.0.0.1", 0,
                new FlightResultServer.Limits(4L << 20, 2L << 20));
             BufferAllocator allocator = new RootAllocator(64L << 20);
             FlightClient client = client(demo(Role.DEVELOPER), small.port(), allocator);
             FlightStream stream = client.getStream(new Ticket("any".getBytes(StandardCharsets.UTF_8)))) {
            List<Integer> ahead = new ArrayList<>();
            long row = 0;
            for (int read = 1; read <= 40 && stream.next(); read++) {
                VectorSchemaRoot root = stream.getRoot();
                for (int r = 0; r < root.getRowCount(); r++, row++) {
                    assertThat(root.getVector(0).getObject(r)).isEqualTo(GeneratedBatches.id(row));
                }
                Thread.sleep(25); // a slow reader
                ahead.add(loaded.get() - read);
            }
            // without back-pressure the server would have read all 2,000 batches by now; with it, it stays a
            // flow-control window (about 1 MiB, some 35 batches) and a few queued messages ahead
            assertThat(ahead).hasSize(40).allSatisfy(a -> assertThat(a).isLessThan(120));
            assertThat(small.allocatedBytes()).isLessThanOrEqualTo(2L << 20);
            long total = row;
            while (stream.next()) {
                total += stream.getRoot().getRowCount();
            }
            assertThat(total).isEqualTo((long) batches * rows);
            assertThat(loaded.get()).isEqualTo(batches);
        }
    }

    /** A sealed store of the test's own, with one large result written batch by batch as a job writes it. */
    private static org.datasandbox.core.release.SealedResults sealedStore(Path dir, int batches, int rows)
            throws IOException {
        var crypto = org.datasandbox.core.crypto.CryptoProfile.of(org.datasandbox.core.crypto.CryptoProfile.Kind.SM);
        var sealed = org.datasandbox.core.release.SealedResults.open(dir.resolve("results"),
                org.datasandbox.core.storage.KeyVault.open(dir.resolve("keys"), crypto,
                        org.datasandbox.core.custody.MasterKey.inMemory(crypto, crypto.newSymmetricKey())), crypto);
        try (BufferAllocator allocator = new RootAllocator(16L << 20);
             GeneratedBatches batchesIn = new GeneratedBatches(allocator, batches, rows, new AtomicInteger());
             var writer = sealed.writer("large-study", "job-large");
             var ipc = new org.apache.arrow.vector.ipc.ArrowStreamWriter(batchesIn.getVectorSchemaRoot(), null,
                     java.nio.channels.Channels.newChannel(writer))) {
            ipc.start();
            while (batchesIn.loadNextBatch()) {
                ipc.writeBatch();
            }
            ipc.end();
            writer.commit();
        }
        return sealed;
    }

    /** Serves {@code sealed}'s large result to anyone, as {@link org.datasandbox.api.flight.SandboxResults} serves a job's. */
    private static org.datasandbox.api.flight.ResultSource sealedSource(org.datasandbox.core.release.SealedResults sealed,
                                                                        long rows) {
        return (caller, job, allocator) -> {
            try {
                var reader = new org.apache.arrow.vector.ipc.ArrowStreamReader(new java.io.BufferedInputStream(
                        sealed.reader("large-study", "job-large").orElseThrow(), 1 << 16), allocator);
                return new ReleasedStream(reader, reader.getVectorSchemaRoot().getSchema(), rows, -1);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
    }

    /** Reads a stream to its end or its error, checking every row against the generator; the rows read. */
    private static long readChecked(FlightStream stream, java.util.concurrent.atomic.AtomicLong read) {
        while (stream.next()) {
            VectorSchemaRoot root = stream.getRoot();
            for (int r = 0; r < root.getRowCount(); r++) {
                long row = read.get();
                assertThat(root.getVector(0).getObject(r)).isEqualTo(GeneratedBatches.id(row));
                assertThat(root.getVector(1).getObject(r)).hasToString(GeneratedBatches.label(row));
                read.incrementAndGet();
            }
        }
        return read.get();
    }

    @Test
    void doGet_largeSealedResult_streamsWithBoundedMemory() throws Exception {
        int batches = 1_500;
        int rows = 1_024; // ~22 KB of Arrow a batch: ~33 MB sealed in 64 KiB chunks, 8x the server's allocator
        Path dir = Files.createTempDirectory("flight-sealed-large");
        var sealed = sealedStore(dir, batches, rows);
        long stored = Files.size(sealed.file("large-study", "job-large"));
        assertThat(stored).isGreaterThan(7L * (4 << 20));
        try (FlightResultServer small = FlightResultServer.start(fixture.sandbox, sealedSource(sealed, (long) batches * rows),
                "127.0.0.1", 0, new FlightResultServer.Limits(4L << 20, 2L << 20));
             BufferAllocator allocator = new RootAllocator(8L << 20);
             FlightClient client = client(demo(Role.DEVELOPER), small.port(), allocator);
             FlightStream stream = client.getStream(new Ticket("any".getBytes(StandardCharsets.UTF_8)))) {
            AtomicInteger peak = new AtomicInteger();
            long row = 0;
            while (stream.next()) {
                VectorSchemaRoot root = stream.getRoot();
                assertThat(root.getVector(0).getObject(root.getRowCount() - 1))
                        .isEqualTo(GeneratedBatches.id(row + root.getRowCount() - 1));
                row += root.getRowCount();
                peak.accumulateAndGet((int) small.allocatedBytes(), Math::max);
            }
            assertThat(row).isEqualTo((long) batches * rows);
            assertThat(peak.get()).isLessThanOrEqualTo(2 << 20); // one stream's allocator: a batch or two
            assertAllocatorEmpties(small);
        }
    }

    /** After a stream ends, whichever way, the server's memory returns to zero. */
    private static void assertAllocatorEmpties(FlightResultServer server) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (server.allocatedBytes() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(server.allocatedBytes()).isZero();
    }

    @Test
    void doGet_clientLeavesMidStream_serverReleasesEveryBuffer() throws Exception {
        int batches = 2_000;
        int rows = 1_024;
        List<AtomicInteger> loaded = new java.util.concurrent.CopyOnWriteArrayList<>(); // batches read, per stream
        var source = (org.datasandbox.api.flight.ResultSource) (caller, job, allocator) -> {
            AtomicInteger read = new AtomicInteger();
            loaded.add(read);
            return new ReleasedStream(new GeneratedBatches(allocator, batches, rows, read), GeneratedBatches.SCHEMA,
                    (long) batches * rows, -1);
        };
        try (FlightResultServer small = FlightResultServer.start(fixture.sandbox, source, "127.0.0.1", 0,
                new FlightResultServer.Limits(4L << 20, 2L << 20))) {
            for (int attempt = 0; attempt < 3; attempt++) {
                try (BufferAllocator allocator = new RootAllocator(64L << 20);
                     FlightClient client = client(demo(Role.DEVELOPER), small.port(), allocator)) {
                    FlightStream stream = client.getStream(new Ticket("any".getBytes(StandardCharsets.UTF_8)));
                    long row = 0;
                    for (int read = 0; read < 10 && stream.next(); read++) {
                        VectorSchemaRoot root = stream.getRoot();
                        assertThat(root.getVector(0).getObject(root.getRowCount() - 1))
                                .isEqualTo(GeneratedBatches.id(row + root.getRowCount() - 1));
                        row += root.getRowCount();
                    }
                    assertThat(small.allocatedBytes()).isPositive(); // the server is mid-stream, holding batches
                    stream.cancel("the reader has seen enough", null);
                    try {
                        stream.close();
                    } catch (Exception expected) {
                        // closing a cancelled stream reports the cancellation
                    }
                }
                assertAllocatorEmpties(small);
                assertThat(loaded.get(attempt).get()).isLessThan(batches); // it stopped reading when the client left
            }
        } // closing the server fails if a stream's allocator still holds a buffer
    }

    /** A file's chunk boundaries: [start, end) of each chunk after the 28-byte header. */
    private static List<long[]> chunkBounds(byte[] file) {
        List<long[]> bounds = new ArrayList<>();
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(file);
        buffer.position(28);
        while (buffer.hasRemaining()) {
            int start = buffer.position();
            buffer.get();
            int length = buffer.getInt();
            buffer.position(buffer.position() + length);
            bounds.add(new long[] {start, buffer.position()});
        }
        return bounds;
    }

    @Test
    void doGet_damagedSealedResult_failsWithAClearErrorAfterIntactRowsOnly() throws Exception {
        int batches = 200;
        int rows = 1_024; // ~4.4 MB: some 70 chunks of 64 KiB
        Path dir = Files.createTempDirectory("flight-sealed-damaged");
        var sealed = sealedStore(dir, batches, rows);
        Path file = sealed.file("large-study", "job-large");
        byte[] intact = Files.readAllBytes(file);
        List<long[]> chunks = chunkBounds(intact);
        assertThat(chunks).hasSizeGreaterThanOrEqualTo(5);
        long[] third = chunks.get(2);
        long[] fourth = chunks.get(3);
        byte[] flipped = intact.clone();
        flipped[(int) (third[0] + third[1]) / 2] ^= 4;
        byte[] cut = java.util.Arrays.copyOf(intact, (int) third[0]);
        java.io.ByteArrayOutputStream swapped = new java.io.ByteArrayOutputStream();
        swapped.write(intact, 0, (int) third[0]);
        swapped.write(intact, (int) fourth[0], (int) (fourth[1] - fourth[0]));
        swapped.write(intact, (int) third[0], (int) (third[1] - third[0]));
        swapped.write(intact, (int) fourth[1], intact.length - (int) fourth[1]);
        try (FlightResultServer server = FlightResultServer.start(fixture.sandbox, sealedSource(sealed, (long) batches * rows),
                "127.0.0.1", 0, new FlightResultServer.Limits(16L << 20, 8L << 20))) {
            for (var damaged : Map.of("a flipped bit", flipped, "cut after a chunk", cut, "two chunks swapped",
                    swapped.toByteArray()).entrySet()) {
                Files.write(file, damaged.getValue());
                java.util.concurrent.atomic.AtomicLong read = new java.util.concurrent.atomic.AtomicLong();
                try (BufferAllocator allocator = new RootAllocator(64L << 20);
                     FlightClient client = client(demo(Role.DEVELOPER), server.port(), allocator);
                     FlightStream stream = client.getStream(new Ticket("any".getBytes(StandardCharsets.UTF_8)))) {
                    // every row is checked as it arrives: only rows of the intact chunks before the damage, then
                    // the error (an altered row would fail the check, not end the stream)
                    assertThatThrownBy(() -> readChecked(stream, read)).as(damaged.getKey())
                            .isInstanceOfSatisfying(FlightRuntimeException.class, e -> {
                                assertThat(e.status().code()).isEqualTo(FlightStatusCode.INTERNAL);
                                assertThat(errorInfo(e).getReason()).isEqualTo("INTERNAL");
                            });
                }
                // the third chunk's rows never arrive: at most the first two chunks' (128 KiB, a few batches)
                assertThat(read.get()).as(damaged.getKey()).isLessThan(8L * rows);
            }
            Files.write(file, intact);
            try (BufferAllocator allocator = new RootAllocator(64L << 20);
                 FlightClient client = client(demo(Role.DEVELOPER), server.port(), allocator);
                 FlightStream stream = client.getStream(new Ticket("any".getBytes(StandardCharsets.UTF_8)))) {
                assertThat(readChecked(stream, new java.util.concurrent.atomic.AtomicLong())).isEqualTo((long) batches * rows);
            }
        }
    }

    @Test
    void doGetAndFetchResult_alteredStoredResultOfAJob_failWithIntegrityErrorAndNoRows() throws Exception {
        SandboxClient developer = fixture.client(Role.DEVELOPER);
        JobTicket ticket = developer.submitJob(GrpcFixture.SCENARIO, SQL);
        assertThat(developer.watchJob(ticket.getJobId(), e -> { }).getState()).isEqualTo(JobState.RELEASED);
        String job = ticket.getJobId();
        Path file;
        try (Stream<Path> files = Files.walk(fixture.dataDir.resolve("results"))) {
            file = files.filter(f -> f.getFileName().toString().equals(job + ".sealed")).findFirst().orElseThrow();
        }
        assertThat(doGet(demo(Role.DEVELOPER), job)).isEqualTo(ArrowResults.decode(developer.fetchResult(job).arrowIpc()).rows());
        byte[] onDisk = Files.readAllBytes(file);
        onDisk[onDisk.length - 20] ^= 1;
        Files.write(file, onDisk);

        List<List<Object>> got = new ArrayList<>();
        assertThatThrownBy(() -> got.addAll(doGet(demo(Role.DEVELOPER), job)))
                .isInstanceOfSatisfying(FlightRuntimeException.class, e -> {
                    assertThat(e.status().code()).isEqualTo(FlightStatusCode.INTERNAL);
                    assertThat(e.getMessage()).contains(job).contains("integrity").contains("chunk 0");
                    assertThat(errorInfo(e).getReason()).isEqualTo("INTERNAL");
                });
        assertThat(got).isEmpty();
        assertThatThrownBy(() -> developer.fetchResult(job)).isInstanceOfSatisfying(io.grpc.StatusRuntimeException.class,
                e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.INTERNAL);
                    assertThat(e.getStatus().getDescription()).contains("integrity");
                });
    }
}
