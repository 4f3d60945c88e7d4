package org.datasandbox.api.server;

import io.grpc.Grpc;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.TlsServerCredentials;
import java.io.IOException;
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
import org.datasandbox.core.identity.PkiLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's gRPC server: Netty with TLS 1.2+/1.3, server certificate from the sandbox CA, client
 * certificates requested and checked against the same CA, every service behind authentication and
 * error mapping, and a bounded executor so that a flood of calls queues instead of exhausting threads.
 */
public final class SandboxServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SandboxServer.class);
    /** Requests larger than this are refused by gRPC itself; uploads come in 1 MiB chunks. */
    public static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

    private final Server server;
    private final ThreadPoolExecutor executor;

    private SandboxServer(Server server, ThreadPoolExecutor executor) {
        this.server = server;
        this.executor = executor;
    }

    public static SandboxServer start(Sandbox sandbox, int port) throws IOException {
        PkiLayout pki = sandbox.authority().layout();
        TlsServerCredentials.Builder tls = TlsServerCredentials.newBuilder()
                .keyManager(pki.serverCertificate().toFile(), pki.serverKey().toFile())
                .trustManager(pki.caCertificate().toFile())
                // OPTIONAL, not REQUIRE: a caller without a certificate then gets a clear UNAUTHENTICATED
                // from the interceptor instead of a bare handshake failure; nobody gets further.
                .clientAuth(TlsServerCredentials.ClientAuth.OPTIONAL);
        ThreadPoolExecutor executor = new ThreadPoolExecutor(4, 16, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(256), r -> {
                    Thread thread = new Thread(r, "sandbox-grpc");
                    thread.setDaemon(true);
                    thread.setUncaughtExceptionHandler(org.datasandbox.core.job.QuietFailures.HANDLER);
                    return thread;
                });
        var builder = Grpc.newServerBuilderForPort(port, tls.build())
                .executor(executor)
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .maxInboundMetadataSize(16 * 1024);
        AuthenticationInterceptor authentication = new AuthenticationInterceptor(sandbox);
        ExceptionMappingInterceptor errors = new ExceptionMappingInterceptor();
        for (ServerServiceDefinition service : List.of(
                new CatalogGrpcService(sandbox).bindService(), new PolicyGrpcService(sandbox).bindService(),
                new JobGrpcService(sandbox).bindService(), new AuditGrpcService(sandbox).bindService())) {
            // The last interceptor runs first: authenticate, then map whatever the service throws.
            builder.addService(ServerInterceptors.intercept(service, errors, authentication));
        }
        Server server = builder.build().start();
        LOG.info("sandbox server listening on port {}", server.getPort());
        return new SandboxServer(server, executor);
    }

    public int port() {
        return server.getPort();
    }

    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /** Stops taking calls, lets running ones finish for up to 10 seconds, then cancels the rest. */
    @Override
    public void close() {
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
        executor.shutdownNow();
    }
}
