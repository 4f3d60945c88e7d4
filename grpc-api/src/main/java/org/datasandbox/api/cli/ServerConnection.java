package org.datasandbox.api.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.datasandbox.api.client.SandboxClient;
import org.datasandbox.core.identity.PkiLayout;
import org.datasandbox.core.identity.Role;
import picocli.CommandLine.Option;

/**
 * How a client command reaches a running server: host and port, and a certificate, either one of the
 * demo people's under a data directory or given as files.
 */
final class ServerConnection {

    @Option(names = "--host", defaultValue = "localhost", description = "Server host (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", required = true, description = "Server port.")
    int port;

    @Option(names = "--data-dir", description = "Data directory of a local server: its CA and the role's demo certificate are used.")
    Path dataDir;

    @Option(names = "--cert", description = "Client certificate (PEM), instead of --data-dir.")
    Path certificate;

    @Option(names = "--key", description = "Client key (PEM), with --cert.")
    Path key;

    @Option(names = "--ca", description = "CA certificate (PEM) the server's certificate must chain to, with --cert.")
    Path ca;

    SandboxClient connect(Role role) throws IOException {
        if (certificate != null && key != null && ca != null) {
            return new SandboxClient(host, port, SandboxClient.credentials(ca, certificate, key));
        }
        if (dataDir == null) {
            throw new IllegalArgumentException("give --data-dir, or --cert, --key and --ca");
        }
        PkiLayout pki = PkiLayout.under(dataDir);
        return new SandboxClient(host, port, SandboxClient.credentials(pki.caCertificate(), pki.clientCertificate(role),
                pki.clientKey(role)));
    }

    /** One client command's work with a connected client. */
    @FunctionalInterface
    interface Call {
        int run(SandboxClient client) throws Exception;
    }

    /**
     * Connects as a role and runs a command's work; a refusal by the server is printed as {@code CODE:
     * description} (after {@code prefix}, such as the file it was about) and becomes exit code 1.
     */
    int run(Role role, String prefix, Call call) throws Exception {
        try (SandboxClient client = connect(role)) {
            return call.run(client);
        } catch (io.grpc.StatusRuntimeException e) {
            System.err.println(prefix + e.getStatus().getCode() + ": " + e.getStatus().getDescription());
            return 1;
        }
    }
}
