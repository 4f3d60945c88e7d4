package org.datasandbox.api.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.datasandbox.api.server.SandboxServer;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.config.SandboxConfig;
import org.datasandbox.core.crypto.CryptoProfile;
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

    @Option(names = "--spark-master", defaultValue = "local[*]",
            description = "Spark master URL: local[*] (default), spark://..., k8s://..., yarn.")
    String sparkMaster;

    @Option(names = "--crypto-profile", defaultValue = "SM",
            description = "SM (SM2/SM3/SM4, default) or INTERNATIONAL (Ed25519/SHA-256/AES-GCM).")
    CryptoProfile.Kind cryptoProfile;

    @Option(names = "--max-upload-bytes", description = "Quota of one upload, in bytes: uploads are staged on disk "
            + "and imported in bounded memory, so this bounds disk use and import time (default: 16 GiB).")
    Long maxUploadBytes;

    @Override
    public Integer call() throws Exception {
        SandboxConfig config = SandboxConfig.embedded(dataDir.toAbsolutePath())
                .withSparkMaster(sparkMaster).withCryptoProfile(cryptoProfile);
        if (maxUploadBytes != null) {
            config = config.withMaxUploadBytes(maxUploadBytes);
        }
        Sandbox sandbox = Sandbox.open(config);
        SandboxServer server = SandboxServer.start(sandbox, port);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            sandbox.close();
        }, "sandbox-shutdown"));
        System.out.println("Data Sandbox listening on port " + server.port() + " (mutual TLS)");
        System.out.println("  data directory:      " + config.dataDir());
        System.out.println("  CA certificate:      " + sandbox.authority().layout().caCertificate());
        System.out.println("  client certificates: " + sandbox.authority().layout().dir().resolve("clients"));
        server.awaitTermination();
        return 0;
    }
}
