package org.datasandbox.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.datasandbox.api.client.SandboxClient;
import org.datasandbox.api.server.SandboxServer;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.config.SandboxConfig;
import org.datasandbox.core.demodata.HubeiDemoData;
import org.datasandbox.core.identity.Role;

/**
 * One sandbox and one TLS server per test JVM (one SparkSession), with the four demo tables registered
 * and their policies applied over gRPC, and a client per role.
 */
final class GrpcFixture {
    static final String SCENARIO = "public-health";
    private static GrpcFixture instance;

    final Path dataDir;
    final Path examples;
    final Sandbox sandbox;
    final SandboxServer server;
    final HubeiDemoData.Tables hubei;
    /** The clock of scenario terms: a test that moves it forward resets it before it ends. */
    final SettableClock clock = new SettableClock();
    private final Map<Role, SandboxClient> clients = new EnumMap<>(Role.class);

    private GrpcFixture() throws IOException {
        dataDir = Files.createTempDirectory("grpc-api-test");
        examples = findExamples();
        sandbox = Sandbox.open(SandboxConfig.embedded(dataDir).withSampleRows(600).withMaxUploadBytes(8L * 1024 * 1024),
                clock);
        server = SandboxServer.start(sandbox, 0);
        for (Role role : Role.values()) {
            clients.put(role, SandboxClient.forRole(sandbox.authority().layout(), role, server.port()));
        }
        hubei = HubeiDemoData.generate(2_500, 11);
        SandboxClient provider = client(Role.PROVIDER);
        provider.registerDataset("arrests", "", Files.readAllBytes(examples.resolve("data/arrests.csv")), Map.of());
        provider.registerDataset("patients", "", Files.readAllBytes(examples.resolve("data/patients.csv")), Map.of());
        provider.registerDataset("residents", "", hubei.residentsCsv(), lower(HubeiDemoData.RESIDENT_TYPES));
        provider.registerDataset("medical_visits", "", hubei.visitsCsv(), lower(HubeiDemoData.VISIT_TYPES));
        for (String file : List.of("arrests", "patients", "residents", "medical_visits", "scenario-public-health")) {
            client(Role.ADMIN).applyPolicy(Files.readString(examples.resolve("policies/" + file + ".yaml")));
        }
    }

    static synchronized GrpcFixture get() {
        if (instance == null) {
            try {
                instance = new GrpcFixture();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    /** The CA as {@code sandbox certificate} opens it, with its key from the CA keystore outside the data directory. */
    org.datasandbox.core.identity.CertificateAuthority caTool() throws IOException {
        var keys = sandbox.config().keys();
        return org.datasandbox.core.identity.CertificateAuthority.openOrCreate(sandbox.authority().layout(),
                new org.datasandbox.core.custody.SealedCaKeyStore(keys.caKeystore(),
                        new org.datasandbox.core.custody.KeyFile(keys.keyFile())));
    }

    SandboxClient client(Role role) {
        return clients.get(role);
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
