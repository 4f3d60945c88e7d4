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
    private static final io.grpc.Metadata.Key<byte[]> DETAILS =
            io.grpc.Metadata.Key.of("grpc-status-details-bin", io.grpc.Metadata.BINARY_BYTE_MARSHALLER);

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
        for (Path file : java.util.List.of(pki.caCertificate(), pki.clientCertificate(role), pki.clientKey(role))) {
            if (!java.nio.file.Files.isReadable(file)) {
                throw new NotConnected("no " + file.getFileName() + " under " + dataDir + ": give the data directory of a "
                        + "server that has started (it creates the certificates), or --cert, --key and --ca");
            }
        }
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
        } catch (NotConnected e) {
            System.err.println(prefix + e.getMessage());
            return 1;
        } catch (io.grpc.StatusRuntimeException e) {
            // the sandbox's own errors carry a status with details; gRPC's connection failures do not
            io.grpc.Metadata trailers = e.getTrailers();
            boolean noServer = e.getStatus().getCode() == io.grpc.Status.Code.UNAVAILABLE
                    && (trailers == null || !trailers.containsKey(DETAILS));
            System.err.println(prefix + e.getStatus().getCode() + ": " + (noServer
                    ? "no sandbox server answers at " + host + ":" + port + " (" + e.getStatus().getDescription() + ")"
                    : e.getStatus().getDescription()));
            return 1;
        }
    }

    /** The command cannot reach a server: said in one line, without a stack trace. */
    static final class NotConnected extends RuntimeException {
        NotConnected(String message) {
            super(message);
        }
    }
}
