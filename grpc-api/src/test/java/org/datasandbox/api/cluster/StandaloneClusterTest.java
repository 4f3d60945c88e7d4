package org.datasandbox.api.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.datasandbox.api.client.SandboxClient;
import org.datasandbox.api.server.SandboxServer;
import org.datasandbox.api.v1.JobEvent;
import org.datasandbox.api.v1.JobState;
import org.datasandbox.api.v1.SampleRequest;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.config.SandboxConfig;
import org.datasandbox.core.config.SparkSettings;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.custody.SandboxKeys;
import org.datasandbox.core.demodata.HubeiDemoData;
import org.datasandbox.core.engine.SparkEngine;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.storage.KeyVault;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's flow on a real Spark standalone cluster (a Master and two Workers, separate JVMs on 127.0.0.1),
 * through a real gRPC server, compared with the same flow on the same data directory in local mode: every
 * non-DP result must be identical. While the cluster application still runs, everything the cluster wrote
 * (logs, work and local dirs, shuffle files) is searched for the dataset keys, the cluster secret and raw
 * values of the originals, and none may be there. Runs in its own Surefire execution (its own JVM, one
 * SparkContext at a time: the cluster's, then local mode's).
 */
@Tag("cluster")
class StandaloneClusterTest {
    private static final String SCENARIO = "public-health";
    private static final String AGGREGATE = "SELECT district, gender, COUNT(*) AS n, ROUND(AVG(income), 2) AS avg_income"
            + " FROM residents GROUP BY district, gender";
    private static final String JOIN = "SELECT r.district, v.hospital, COUNT(*) AS visits, ROUND(SUM(v.cost), 2) AS cost"
            + " FROM residents r JOIN medical_visits v ON r.person_id = v.person_id GROUP BY r.district, v.hospital";
    private static final String ROW_LEVEL = "SELECT name, phone FROM residents";

    @TempDir
    Path temp;

    /** What a developer saw of one run of the flow. */
    private record Outcome(List<String> maskedSample, List<String> syntheticHeader, int syntheticRows,
                           List<String> aggregate, List<String> join, String refusal) {
    }

    @Test
    void demoFlow_onStandaloneCluster_equalsLocalModeAndLeavesNoKeyOrValueOnWorkers() throws Exception {
        Path data = temp.resolve("data");
        Path examples = findExamples();
        HubeiDemoData.Tables hubei = HubeiDemoData.generate(1_500, 11);
        String secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(32));
        Path secretFile = temp.resolve("spark.secret");
        Files.writeString(secretFile, secret);

        Outcome onCluster;
        Map<Path, byte[]> clusterFiles;
        SandboxConfig base = SandboxConfig.embedded(data).withSampleRows(400);
        try (StandaloneCluster cluster = StandaloneCluster.start(temp.resolve("cluster"), secret, 2, Duration.ofSeconds(90))) {
            SandboxConfig config = base.withSparkMaster(cluster.masterUrl()).withSpark(SparkSettings.LOOPBACK
                    .withSecretFile(secretFile)
                    .withExtra(Map.of("spark.executor.memory", "512m", "spark.executor.cores", "1", "spark.cores.max", "2",
                            // executors load the project's classes (masking UDFs, the KMS client) from this
                            // JVM's classpath: the workers run on this machine
                            "spark.executor.extraClassPath", System.getProperty("java.class.path"))));
            try {
                onCluster = runFlow(config, true, examples, hubei, () -> {
                    // the executors wrapped (sample writes) and unwrapped (reads) Parquet's keys through the driver
                    assertThat(org.datasandbox.core.storage.DriverKeyPlugin.servedRequests()).isPositive();
                });
                clusterFiles = readAll(cluster.dir());
            } finally {
                SparkEngine.stopShared();
            }
        }
        Outcome local = runFlow(base, false, examples, hubei, () -> { });
        SparkEngine.stopShared();

        assertThat(onCluster.aggregate()).isNotEmpty().isEqualTo(local.aggregate());
        assertThat(onCluster.join()).isNotEmpty().isEqualTo(local.join());
        assertThat(onCluster.maskedSample()).hasSizeGreaterThan(50).isEqualTo(local.maskedSample());
        assertThat(onCluster.syntheticHeader()).isEqualTo(local.syntheticHeader());
        assertThat(onCluster.syntheticRows()).isEqualTo(local.syntheticRows()).isEqualTo(50);
        assertThat(onCluster.refusal()).isEqualTo(local.refusal()).isEqualTo("ROW_LEVEL_OUTPUT");

        Map<String, byte[]> secrets = secrets(data, secret, hubei);
        assertThat(secrets).hasSizeGreaterThan(10);
        // the search covered what it must: executor logs and the executors' (encrypted) shuffle files
        assertThat(clusterFiles.keySet()).anySatisfy(p -> assertThat(p.toString()).contains("app-").endsWith("stderr"));
        // each worker launched an executor, and executors wrote shuffle files: the jobs ran on the cluster (which
        // executor takes which task is Spark's choice, so shuffle files are not required of both)
        for (String worker : List.of("worker-1", "worker-2")) {
            assertThat(clusterFiles.keySet()).as(worker).anySatisfy(p -> {
                assertThat(p.startsWith(worker)).isTrue();
                assertThat(p.toString()).contains("app-").endsWith("stderr");
            });
        }
        assertThat(clusterFiles.keySet()).anySatisfy(p -> assertThat(p.getFileName().toString()).startsWith("shuffle_"));
        // the control: the same search finds the raw values in the data they came from
        byte[] residentsCsv = hubei.residentsCsv();
        assertThat(found(Map.of(Path.of("residents.csv"), residentsCsv), secrets)).isNotEmpty();
        assertThat(found(clusterFiles, secrets)).as("keys, the secret or raw values on a worker").isEmpty();
    }

    private interface ClusterCheck {
        void run() throws Exception;
    }

    private static Outcome runFlow(SandboxConfig config, boolean register, Path examples, HubeiDemoData.Tables hubei,
                                   ClusterCheck whileRunning) throws Exception {
        try (Sandbox sandbox = Sandbox.open(config); SandboxServer server = SandboxServer.start(sandbox, 0);
             SandboxClient provider = SandboxClient.forRole(sandbox.authority().layout(), Role.PROVIDER, server.port());
             SandboxClient admin = SandboxClient.forRole(sandbox.authority().layout(), Role.ADMIN, server.port());
             SandboxClient developer = SandboxClient.forRole(sandbox.authority().layout(), Role.DEVELOPER, server.port())) {
            if (register) {
                provider.registerDataset("arrests", "", Files.readAllBytes(examples.resolve("data/arrests.csv")), Map.of());
                provider.registerDataset("patients", "", Files.readAllBytes(examples.resolve("data/patients.csv")), Map.of());
                provider.registerDataset("residents", "", hubei.residentsCsv(), lower(HubeiDemoData.RESIDENT_TYPES));
                provider.registerDataset("medical_visits", "", hubei.visitsCsv(), lower(HubeiDemoData.VISIT_TYPES));
                for (String file : List.of("arrests", "patients", "residents", "medical_visits", "scenario-public-health")) {
                    admin.applyPolicy(Files.readString(examples.resolve("policies/" + file + ".yaml")));
                }
            }
            List<String> masked = developer.maskedSample("residents", 300).rows().stream().map(Object::toString)
                    .sorted().toList();
            SandboxClient.Sample synthetic = developer.sample(SampleRequest.newBuilder().setScenario(SCENARIO)
                    .setTable("patients").setKind("synthetic").setFormat("csv").setMaxRows(50).build());
            List<String> lines = new String(synthetic.data(), StandardCharsets.UTF_8).lines().toList();
            List<String> aggregate = run(developer, AGGREGATE);
            List<String> join = run(developer, JOIN);
            String[] refusal = new String[1];
            assertThatThrownBy(() -> developer.submitJob(SCENARIO, ROW_LEVEL)).isInstanceOfSatisfying(
                    StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                        refusal[0] = reason(e);
                    });
            whileRunning.run();
            return new Outcome(masked, List.of(lines.get(0).split(",")), lines.size() - 1, aggregate, join, refusal[0]);
        }
    }

    /** The reason of the google.rpc.ErrorInfo the server attaches to an error. */
    private static String reason(StatusRuntimeException e) {
        try {
            for (com.google.protobuf.Any any : io.grpc.protobuf.StatusProto.fromThrowable(e).getDetailsList()) {
                if (any.is(com.google.rpc.ErrorInfo.class)) {
                    return any.unpack(com.google.rpc.ErrorInfo.class).getReason();
                }
            }
        } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
            throw new AssertionError(ex);
        }
        throw new AssertionError("no ErrorInfo in " + e.getStatus());
    }

    private static List<String> run(SandboxClient developer, String sql) {
        String job = developer.submitJob(SCENARIO, sql).getJobId();
        List<JobEvent> events = new ArrayList<>();
        JobEvent last = developer.watchJob(job, events::add);
        assertThat(last.getState()).as(events.toString()).isEqualTo(JobState.RELEASED);
        return developer.fetchResult(job).table().rows().stream().map(Object::toString).sorted().toList();
    }

    /** Dataset keys (hex and base64), the cluster secret, and identifying raw values of the originals. */
    private static Map<String, byte[]> secrets(Path data, String secret, HubeiDemoData.Tables hubei) throws IOException {
        Map<String, byte[]> needles = new LinkedHashMap<>();
        SandboxConfig config = SandboxConfig.embedded(data);
        CryptoProfile crypto = CryptoProfile.of(config.cryptoProfile());
        KeyVault vault = KeyVault.open(data.resolve("keys"), crypto,
                SandboxKeys.open(data, config.keys(), crypto).custody(), false);
        for (String name : vault.keyNames()) {
            byte[] key = vault.secret(name);
            needles.put("key " + name + " (hex)", HexFormat.of().formatHex(key).getBytes(StandardCharsets.US_ASCII));
            needles.put("key " + name + " (HEX)", HexFormat.of().withUpperCase().formatHex(key)
                    .getBytes(StandardCharsets.US_ASCII));
            needles.put("key " + name + " (base64)", Base64.getEncoder().encode(key));
            needles.put("key " + name + " (raw)", key);
        }
        needles.put("the cluster secret", secret.getBytes(StandardCharsets.US_ASCII));
        for (String[] row : hubei.residents().subList(0, 20)) {
            needles.put("a phone " + row[3].substring(7), row[3].getBytes(StandardCharsets.UTF_8));
            needles.put("an id card " + row[1].substring(14), row[1].getBytes(StandardCharsets.UTF_8));
        }
        return needles;
    }

    private static List<String> found(Map<Path, byte[]> files, Map<String, byte[]> needles) {
        List<String> hits = new ArrayList<>();
        files.forEach((path, content) -> needles.forEach((what, needle) -> {
            if (indexOf(content, needle) >= 0) {
                hits.add(what + " in " + path);
            }
        }));
        return hits;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static Map<Path, byte[]> readAll(Path dir) throws IOException {
        Map<Path, byte[]> files = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                try {
                    files.put(dir.relativize(file), Files.readAllBytes(file));
                } catch (IOException vanished) {
                    // a temporary file Spark removed while we walked
                }
            }
        }
        return files;
    }

    private static Map<String, String> lower(Map<String, org.datasandbox.guard.catalog.ColumnType> types) {
        return types.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> e.getValue().name().toLowerCase(java.util.Locale.ROOT)));
    }

    private static Path findExamples() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("examples").resolve("policies"))) {
                return p.resolve("examples");
            }
        }
        throw new IllegalStateException("examples folder not found");
    }
}
