package org.datasandbox.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ChannelCredentials;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.XXH64;
import org.apache.spark.unsafe.types.UTF8String;
import org.datasandbox.api.client.SandboxClient;
import org.datasandbox.api.flight.FlightClients;
import org.datasandbox.api.flight.FlightResultServer;
import org.datasandbox.api.server.SandboxServer;
import org.datasandbox.api.v1.JobEvent;
import org.datasandbox.api.v1.JobState;
import org.datasandbox.api.v1.ReleaseRequestSummary;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.config.SandboxConfig;
import org.datasandbox.core.identity.CertificateAuthority;
import org.datasandbox.core.identity.PkiLayout;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.release.ArrowResultWriter;
import org.datasandbox.core.release.ArrowResults;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A review-mode extract many times larger than the job's result writer may hold (its allocator's hard limit, 4 MiB)
 * and than the automatic-release cap (1,000 rows) goes the whole way: streamed by the job into sealed storage, held,
 * approved, and read over Flight {@code DoGet} and gRPC {@code FetchResult}. The oracle is plain Spark on the same
 * generated data, without the sandbox: the row count and an order-independent digest (the sum of each row's
 * xxhash64) computed in Spark must equal what each reader received. An extract above {@code maxExtractRows} is
 * refused and leaves no file; so does a cancelled one.
 */
class ExtractStreamingTest {
    private static final String SCENARIO = "extract-review";
    private static final int GROUP = 10; // people per group: the scenario's k
    private static final int PEOPLE = 350_000; // 35,000 groups
    private static final int EXTRACT_GROUPS = 25_000;
    private static final int TEXT = 100; // a group's label; the extract repeats it 20 times: ~50 MB of Arrow IPC
    private static final String WIDE = "CONCAT(" + String.join(", ", java.util.Collections.nCopies(20, "t")) + ")";
    private static final String EXTRACT = "SELECT g, COUNT(*) AS n, " + WIDE + " AS wide FROM extract_src WHERE g < "
            + EXTRACT_GROUPS + " GROUP BY g, t";
    private static final String TOO_LARGE = "SELECT g, COUNT(*) AS n FROM extract_src GROUP BY g";

    @TempDir
    static Path dir;
    private static Sandbox sandbox;
    private static SandboxServer server;
    private static FlightResultServer flight;
    private static Dataset<Row> generated;

    @BeforeAll
    static void start() throws Exception {
        GrpcFixture.get(); // the JVM's Spark context
        sandbox = Sandbox.open(SandboxConfig.embedded(dir.resolve("data")).withSampleRows(50).withMaxResultRows(1_000)
                .withMaxExtractRows(30_000));
        server = SandboxServer.start(sandbox, 0);
        flight = FlightResultServer.start(sandbox, "127.0.0.1", 0);
        SparkSession spark = SparkSession.active();
        generated = spark.range(0, PEOPLE).selectExpr("id AS person_id", "id DIV " + GROUP + " AS g",
                "concat(lpad(CAST(id DIV " + GROUP + " AS STRING), 12, '0'), repeat('x', " + (TEXT - 12) + ")) AS t");
        Path parquet = dir.resolve("generated");
        generated.coalesce(1).write().parquet(parquet.toString());
        Path file;
        try (Stream<Path> files = Files.list(parquet)) {
            file = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        try (SandboxClient provider = client(Role.PROVIDER); SandboxClient admin = client(Role.ADMIN)) {
            provider.registerDataset("extract_src", "", "parquet", Files.readAllBytes(file), Map.of());
            admin.applyPolicy("kind: table-policy\ntable: extract_src\none_row_per_unit: true\ncolumns:\n"
                    + "  - {name: person_id, role: privacy_unit}\n  - {name: g, role: dimension}\n"
                    + "  - {name: t, role: dimension}\n");
            admin.applyPolicy("kind: scenario\nid: " + SCENARIO + "\npurpose: extract\ndevelopers: [\""
                    + CertificateAuthority.DEMO_HOLDERS.get(Role.DEVELOPER) + "\"]\n"
                    + "output: {mode: review, k: " + GROUP + ", reviewers: 1}\ngrants: {extract_src: [\"*\"]}\n");
        }
    }

    @AfterAll
    static void stop() {
        if (flight != null) {
            flight.close(); // fails if a stream kept a buffer
        }
        if (server != null) {
            server.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private static SandboxClient client(Role role) throws Exception {
        return SandboxClient.forRole(sandbox.authority().layout(), role, server.port());
    }

    /** One row's share of the digest: xxhash64 (seed 42) of its values joined by '|', as Spark computes it. */
    private static long rowHash(Object g, Object n, Object t) {
        UTF8String text = UTF8String.fromString(g + "|" + n + "|" + (t == null ? "NULL" : t));
        return XXH64.hashUnsafeBytes(text.getBaseObject(), text.getBaseOffset(), text.numBytes(), 42L);
    }

    /** Count and order-independent digest of the extract, from plain Spark on the generated rows. */
    private static List<Object> sparkOracle() {
        Row row = generated.where("g < " + EXTRACT_GROUPS).groupBy("g", "t")
                .agg(org.apache.spark.sql.functions.count("*").as("n")).selectExpr("g", "n", WIDE + " AS wide")
                .selectExpr("COUNT(*) AS rows", "SUM(CAST(xxhash64(concat_ws('|', CAST(g AS STRING), CAST(n AS STRING), "
                        + "coalesce(wide, 'NULL'))) AS DECIMAL(38, 0))) AS digest").first();
        return List.of(row.getLong(0), row.getDecimal(1).toBigInteger());
    }

    private static String runUntil(SandboxClient developer, String sql, JobState expected) {
        String job = developer.submitJob(SCENARIO, sql).getJobId();
        assertThat(developer.watchJob(job, e -> { }).getState()).isEqualTo(expected);
        return job;
    }

    private static List<Path> filesOf(String job) throws Exception {
        try (Stream<Path> files = Files.walk(dir.resolve("data").resolve("results"))) {
            return files.filter(f -> f.getFileName().toString().startsWith(job)).toList();
        }
    }

    @Test
    void extract_manyTimesTheWriterLimit_isHeldApprovedAndReadOverFlightAndFetchResultAsSparkComputesIt()
            throws Exception {
        List<Object> expected = sparkOracle();
        assertThat(expected.get(0)).isEqualTo((long) EXTRACT_GROUPS);
        String job;
        try (SandboxClient developer = client(Role.DEVELOPER); SandboxClient reviewer = client(Role.REVIEWER)) {
            job = runUntil(developer, EXTRACT, JobState.HELD);
            ReleaseRequestSummary request = reviewer.listReleaseRequests("").getRequestsList().stream()
                    .filter(r -> r.getJobId().equals(job)).findFirst().orElseThrow();
            assertThat(request.getRows()).isEqualTo(EXTRACT_GROUPS);
            assertThat(reviewer.decideRelease(request.getId(), "APPROVE", "an extract for the study").getStatus())
                    .isEqualTo("APPROVED");

            SandboxClient.Result fetched = developer.fetchResult(job);
            assertThat((long) fetched.arrowIpc().length).as("Arrow IPC bytes")
                    .isGreaterThan(10 * ArrowResultWriter.DEFAULT_ALLOCATOR_LIMIT);
            long[] rows = {0};
            BigInteger[] digest = {BigInteger.ZERO};
            ArrowResults.forEachRow(new java.io.ByteArrayInputStream(fetched.arrowIpc()), (columns, index, row) -> {
                rows[0]++;
                digest[0] = digest[0].add(BigInteger.valueOf(rowHash(row.get(0), row.get(1), row.get(2))));
            });
            assertThat(List.of(rows[0], digest[0])).as("FetchResult").isEqualTo(expected);
        }
        assertThat(doGet(job)).as("Flight DoGet").isEqualTo(expected);
    }

    /** Count and digest of a DoGet, batch by batch (the client holds one batch). */
    private static List<Object> doGet(String job) throws Exception {
        PkiLayout pki = sandbox.authority().layout();
        ChannelCredentials credentials = SandboxClient.credentials(pki.caCertificate(),
                pki.clientCertificate(Role.DEVELOPER), pki.clientKey(Role.DEVELOPER));
        long rows = 0;
        BigInteger digest = BigInteger.ZERO;
        try (BufferAllocator allocator = new RootAllocator(64L << 20);
             FlightClient client = FlightClients.connect(allocator, "localhost", flight.port(), credentials);
             FlightStream stream = client.getStream(new Ticket(job.getBytes(StandardCharsets.UTF_8)))) {
            while (stream.next()) {
                VectorSchemaRoot root = stream.getRoot();
                List<FieldVector> vectors = root.getFieldVectors();
                for (int r = 0; r < root.getRowCount(); r++) {
                    Object t = vectors.get(2).getObject(r);
                    digest = digest.add(BigInteger.valueOf(rowHash(vectors.get(0).getObject(r),
                            vectors.get(1).getObject(r), t == null ? null : t.toString())));
                    rows++;
                }
            }
        }
        return List.of(rows, digest);
    }

    @Test
    void extract_aboveMaxExtractRows_isRefusedAndLeavesNoFile() throws Exception {
        try (SandboxClient developer = client(Role.DEVELOPER)) {
            String job = developer.submitJob(SCENARIO, TOO_LARGE).getJobId();
            JobEvent last = developer.watchJob(job, e -> { });
            assertThat(last.getState()).isEqualTo(JobState.FAILED);
            assertThat(last.getErrorCode()).isEqualTo("TOO_LARGE");
            assertThat(filesOf(job)).isEmpty();
        }
    }

    @Test
    void extract_cancelledWhileRunning_leavesNoFile() throws Exception {
        try (SandboxClient developer = client(Role.DEVELOPER)) {
            String job = developer.submitJob(SCENARIO, EXTRACT).getJobId();
            JobEvent last = developer.watchJob(job, e -> {
                if (e.getState() == JobState.RUNNING) {
                    try {
                        developer.cancelJob(job);
                    } catch (io.grpc.StatusRuntimeException ended) {
                        // already past running: the assertion below says so
                    }
                }
            });
            assertThat(last.getState()).isEqualTo(JobState.CANCELLED);
            assertThat(filesOf(job)).isEmpty();
        }
    }
}
