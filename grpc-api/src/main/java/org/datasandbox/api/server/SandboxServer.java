package org.datasandbox.api.server;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.TlsServerCredentials;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.datasandbox.api.interceptor.AuthenticationInterceptor;
import org.datasandbox.api.interceptor.ExceptionMappingInterceptor;
import org.datasandbox.api.service.AuditGrpcService;
import org.datasandbox.api.service.CatalogGrpcService;
import org.datasandbox.api.service.JobGrpcService;
import org.datasandbox.api.service.PolicyGrpcService;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.crypto.Pem;
import org.datasandbox.core.identity.PkiLayout;
import org.datasandbox.core.identity.ServerCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's gRPC server: Netty with TLS 1.2+/1.3, server certificate from the sandbox CA, client
 * certificates requested and checked against the same CA, every service (and server reflection) behind
 * authentication and error mapping, the standard health service for probes, and a bounded executor so
 * that a flood of calls queues instead of exhausting threads.
 */
public final class SandboxServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SandboxServer.class);
    /** Requests larger than this are refused by gRPC itself; uploads come in 1 MiB chunks. */
    public static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
    /** The default bind address: only this host can call. */
    public static final String LOOPBACK = "127.0.0.1";

    private final Server server;
    private final ThreadPoolExecutor executor;
    private final HealthStatusManager health;

    private SandboxServer(Server server, ThreadPoolExecutor executor, HealthStatusManager health) {
        this.server = server;
        this.executor = executor;
        this.health = health;
    }

    /** Starts on the loopback interface only: callers from other hosts need {@link #start(Sandbox, String, int)}. */
    public static SandboxServer start(Sandbox sandbox, int port) throws IOException {
        return start(sandbox, LOOPBACK, port);
    }

    /**
     * Starts listening on one address ({@code 127.0.0.1}, {@code ::1}, one interface's address, or
     * {@code 0.0.0.0} for every interface) and port (0 picks a free one).
     */
    public static SandboxServer start(Sandbox sandbox, String bindAddress, int port) throws IOException {
        io.grpc.ServerCredentials tls = tlsCredentials(sandbox);
        ThreadPoolExecutor executor = new ThreadPoolExecutor(4, 16, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(256), r -> {
                    Thread thread = new Thread(r, "sandbox-grpc");
                    thread.setDaemon(true);
                    thread.setUncaughtExceptionHandler(org.datasandbox.core.job.QuietFailures.HANDLER);
                    return thread;
                });
        var builder = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getByName(bindAddress), port),
                        tls)
                .executor(executor)
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .maxInboundMetadataSize(16 * 1024);
        AuthenticationInterceptor authentication = new AuthenticationInterceptor(sandbox);
        ExceptionMappingInterceptor errors = new ExceptionMappingInterceptor();
        List<ServerServiceDefinition> services = List.of(
                new CatalogGrpcService(sandbox).bindService(), new PolicyGrpcService(sandbox).bindService(),
                new JobGrpcService(sandbox).bindService(), new AuditGrpcService(sandbox).bindService(),
                new org.datasandbox.api.service.ReviewGrpcService(sandbox).bindService(),
                // reflection describes the API, so it is behind authentication like the API itself
                ProtoReflectionServiceV1.newInstance().bindService(),
                new org.datasandbox.api.service.ScenarioGrpcService(sandbox).bindService(),
                new org.datasandbox.api.service.CertificateGrpcService(sandbox).bindService(),
                new org.datasandbox.api.service.QualityGrpcService(sandbox).bindService(),
                new org.datasandbox.api.service.ReportGrpcService(sandbox).bindService());
        for (ServerServiceDefinition service : services) {
            // The last interceptor runs first: authenticate, then map whatever the service throws.
            // Requests are parsed inside the interceptors (useMarshalledMessages), not by the transport, so that
            // bytes that are no message of the method get INVALID_ARGUMENT and a ledger entry like any bad call.
            builder.addService(ServerInterceptors.intercept(
                    ServerInterceptors.useMarshalledMessages(service, RawMessages.MARSHALLER), errors, authentication));
        }
        // Health is open to probes without a certificate (it says only SERVING or NOT_SERVING) and kept out of
        // the ledger, which a probe every few seconds would otherwise fill.
        HealthStatusManager health = new HealthStatusManager();
        builder.addService(health.getHealthService());
        Server server = builder.build().start();
        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
        for (ServerServiceDefinition service : services) {
            health.setStatus(service.getServiceDescriptor().getName(), ServingStatus.SERVING);
        }
        LOG.info("sandbox server listening on {} port {}", bindAddress, server.getPort());
        return new SandboxServer(server, executor, health);
    }

    /**
     * The server's TLS: its certificate and key from key custody, client certificates requested and checked
     * against the sandbox CA. The Flight server uses the same.
     */
    public static io.grpc.ServerCredentials tlsCredentials(Sandbox sandbox) throws IOException {
        PkiLayout pki = sandbox.authority().layout();
        ServerCredentials key = sandbox.serverCredentials();
        // the key comes from key custody and reaches TLS in memory, never as a file in the data directory
        return TlsServerCredentials.newBuilder()
                .keyManager(stream(Pem.certificatesText(key.chain())), stream(Pem.privateKeyText(key.key())))
                .trustManager(pki.caCertificate().toFile())
                // OPTIONAL, not REQUIRE: a caller without a certificate then gets a clear UNAUTHENTICATED
                // from the interceptor instead of a bare handshake failure; nobody gets further.
                .clientAuth(TlsServerCredentials.ClientAuth.OPTIONAL).build();
    }

    public int port() {
        return server.getPort();
    }

    /** The addresses the server listens on. */
    public List<? extends java.net.SocketAddress> addresses() {
        return server.getListenSockets();
    }

    private static java.io.InputStream stream(String text) {
        return new java.io.ByteArrayInputStream(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /** Stops taking calls, lets running ones finish for up to 10 seconds, then cancels the rest. */
    @Override
    public void close() {
        // NOT_SERVING first, so that a load balancer watching health stops sending calls before the drain
        health.enterTerminalState();
        drain(server);
        executor.shutdownNow();
    }

    /** Stops a gRPC server taking calls, lets running ones finish for up to 10 seconds, then cancels the rest. */
    public static void drain(io.grpc.Server server) {
        server.shutdown();
        try {
            if (!server.awaitTermination(10, TimeUnit.SECONDS)) {
                server.shutdownNow();
                server.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
