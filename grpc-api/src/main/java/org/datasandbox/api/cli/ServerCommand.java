package org.datasandbox.api.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.datasandbox.api.flight.FlightResultServer;
import org.datasandbox.api.server.SandboxServer;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.config.SandboxConfig;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.custody.KeyCustodyException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sandbox server}: runs the sandbox until interrupted. */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Run the sandbox server (gRPC with mutual TLS). Creates the data directory, CA and demo certificates on first start.")
final class ServerCommand implements Callable<Integer> {

    @Option(names = "--data-dir", defaultValue = "sandbox-data", description = "Data directory (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--port", defaultValue = "7443", description = "TCP port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this host only; 0.0.0.0 for every interface).")
    String bind;

    @picocli.CommandLine.Mixin
    KeyOptions keys = new KeyOptions();

    @Option(names = "--rotate-master-key",
            description = "Replace the master key before serving: every dataset key is re-sealed under a new one "
                    + "(recorded as key.rotated; sealed keystore only).")
    boolean rotateMasterKey;

    @Option(names = "--spark-master", defaultValue = "local[*]",
            description = "Spark master URL: local[*] (default), spark://..., k8s://..., yarn.")
    String sparkMaster;

    @Option(names = "--crypto-profile", defaultValue = "SM",
            description = "SM (SM2/SM3/SM4, default) or INTERNATIONAL (Ed25519/SHA-256/AES-GCM).")
    CryptoProfile.Kind cryptoProfile;

    @Option(names = "--max-upload-bytes", description = "Quota of one upload, in bytes: uploads are staged on disk "
            + "and imported in bounded memory, so this bounds disk use and import time (default: 16 GiB).")
    Long maxUploadBytes;

    @Option(names = "--max-extract-rows", defaultValue = "${env:SANDBOX_MAX_EXTRACT_ROWS:-10000000}",
            description = "Largest output a job may hold for review (review mode), in rows: it is streamed into sealed "
                    + "storage and read over Arrow Flight, so this bounds disk and time, not memory (default: "
                    + "${DEFAULT-VALUE}; also read from SANDBOX_MAX_EXTRACT_ROWS).")
    int maxExtractRows;

    @Option(names = "--console-port", description = "Serve the review console over HTTPS on this port (same bind address, "
            + "server certificate and client certificates as gRPC; 0 picks a free port). Off when not given.")
    Integer consolePort;

    @Option(names = "--flight-port", description = "Also serve released results over Arrow Flight (DoGet) on this "
            + "TCP port, with the same mutual TLS and roles (default: off).")
    Integer flightPort;

    @Option(names = "--metadata-url", defaultValue = "${env:SANDBOX_METADATA_URL:-}",
            description = "Keep the catalog, policies, scenarios, job ids and budgets in PostgreSQL at this JDBC URL "
                    + "(jdbc:postgresql://host:5432/db?user=...), shared with other servers; default: files under the "
                    + "data directory. Also read from SANDBOX_METADATA_URL (keeps a password out of the process list).")
    String metadataUrl;

    @Option(names = "--spark-driver-host", defaultValue = "127.0.0.1",
            description = "Address the cluster's executors use to reach the Spark driver in this server (default: ${DEFAULT-VALUE}).")
    String sparkDriverHost;

    @Option(names = "--spark-bind-address", defaultValue = "127.0.0.1",
            description = "Local address the Spark driver's ports bind to (default: ${DEFAULT-VALUE}).")
    String sparkBindAddress;

    @Option(names = "--spark-driver-port", defaultValue = "0",
            description = "The Spark driver's RPC port, for a firewall (default: 0, any free port).")
    int sparkDriverPort;

    @Option(names = "--spark-block-manager-port", defaultValue = "0",
            description = "The Spark driver's block manager port, for a firewall (default: 0, any free port).")
    int sparkBlockManagerPort;

    @Option(names = "--spark-secret-file", description = "File holding the cluster's shared Spark authentication "
            + "secret (a standalone master needs it; at least 32 characters; read at start, kept in memory).")
    Path sparkSecretFile;

    @Option(names = "--spark-conf", paramLabel = "spark.KEY=VALUE", description = "A further Spark setting, e.g. "
            + "spark.executor.memory=4g or spark.jars=...; repeatable. Settings the sandbox enforces (authentication, "
            + "encryption, UI, ANSI mode, driver addresses) are refused.")
    java.util.Map<String, String> sparkConf = new java.util.LinkedHashMap<>();

    /** The Spark driver's addresses, ports and extra settings from the options. */
    org.datasandbox.core.config.SparkSettings sparkSettings() {
        org.datasandbox.core.config.SparkSettings settings = org.datasandbox.core.config.SparkSettings.LOOPBACK
                .withDriver(sparkDriverHost, sparkBindAddress, sparkDriverPort, sparkBlockManagerPort)
                .withExtra(sparkConf);
        return sparkSecretFile == null ? settings : settings.withSecretFile(sparkSecretFile.toAbsolutePath());
    }

    @Override
    public Integer call() throws Exception {
        Path dir = dataDir.toAbsolutePath();
        SandboxConfig config;
        Sandbox sandbox;
        try {
            config = SandboxConfig.embedded(dir).withSparkMaster(sparkMaster).withCryptoProfile(cryptoProfile)
                    .withKeys(keys.settings(dir).withMasterKeyRotation(rotateMasterKey))
                    .withMetadataUrl(metadataUrl == null ? "" : metadataUrl.strip())
                    .withSpark(sparkSettings());
            if (maxUploadBytes != null) {
                config = config.withMaxUploadBytes(maxUploadBytes);
            }
            config = config.withMaxExtractRows(maxExtractRows);
            sandbox = Sandbox.open(config);
        } catch (KeyCustodyException e) {
            System.err.println("Not started: " + e.getMessage());
            return 2;
        } catch (org.datasandbox.core.metadata.MetadataUnavailableException | IllegalArgumentException
                 | IllegalStateException e) { // a Spark setting the sandbox refuses
            System.err.println("Not started: " + e.getMessage());
            return 2;
        }
        SandboxServer server = SandboxServer.start(sandbox, bind, port);
        org.datasandbox.api.console.ConsoleServer console = consolePort == null ? null
                : org.datasandbox.api.console.ConsoleServer.start(sandbox, bind, consolePort);
        FlightResultServer flight = flightPort == null ? null : FlightResultServer.start(sandbox, bind, flightPort);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (flight != null) {
                flight.close();
            }
            if (console != null) {
                console.close();
            }
            server.close();
            sandbox.close();
        }, "sandbox-shutdown"));
        System.out.println("Data Sandbox listening on " + bind + " port " + server.port() + " (mutual TLS)");
        if (flight != null) {
            System.out.println("  Arrow Flight:        " + bind + " port " + flight.port() + " (mutual TLS, DoGet of released results)");
        }
        System.out.println("  data directory:      " + config.dataDir());
        System.out.println("  metadata:            " + (config.metadataUrl().isEmpty() ? "files under the data directory"
                : "PostgreSQL (shared; the URL is not repeated)"));
        System.out.println("  key file:            " + config.keys().keyFile() + " (keep it outside the data directory)");
        System.out.println("  CA keystore:         " + config.keys().caKeystore() + " (certificate commands only)");
        System.out.println("  CA certificate:      " + sandbox.authority().layout().caCertificate());
        System.out.println("  client certificates: " + sandbox.authority().layout().dir().resolve("clients"));
        if (console != null) {
            System.out.println("  review console:      " + (bind.equals("127.0.0.1") || bind.equals("0.0.0.0")
                    ? console.url() : "https://" + bind + ":" + console.port() + "/") + " (client certificate of the sandbox CA; admin, reviewer, auditor)");
        }
        server.awaitTermination();
        return 0;
    }
}
