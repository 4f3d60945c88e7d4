package org.datasandbox.api.flight;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.flight.FlightGrpcUtils;
import org.apache.arrow.flight.auth.ServerAuthHandler;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.datasandbox.api.interceptor.AuthenticationInterceptor;
import org.datasandbox.api.interceptor.ExceptionMappingInterceptor;
import org.datasandbox.api.server.SandboxServer;
import org.datasandbox.core.Sandbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Arrow Flight endpoint of the sandbox, on its own port: Arrow's Flight service (from
 * {@link FlightGrpcUtils}) on the same shaded-Netty gRPC stack as the sandbox's API, with the same mutual TLS
 * (server certificate and client certificates of the sandbox CA, revocation checked on every call), the same
 * role table and the same ledger entry per call. Off-heap memory comes from one bounded allocator, a child
 * per stream; closing the server with a buffer still held fails loudly, which is how tests catch leaks.
 */
public final class FlightResultServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FlightResultServer.class);

    /**
     * Memory bounds of the Flight server.
     *
     * @param allocatorLimit the most off-heap memory all streams together may hold
     * @param streamLimit the most one stream may hold (one stored batch and the batch being sent)
     */
    public record Limits(long allocatorLimit, long streamLimit) {
        public static final Limits DEFAULT = new Limits(512L << 20, 64L << 20);

        public Limits {
            if (streamLimit <= 0 || allocatorLimit < streamLimit) {
                throw new IllegalArgumentException("streamLimit must be > 0 and <= allocatorLimit. Provided values: "
                        + streamLimit + ", " + allocatorLimit);
            }
        }
    }

    private final Server server;
    private final ThreadPoolExecutor executor;
    private final BufferAllocator allocator;

    private FlightResultServer(Server server, ThreadPoolExecutor executor, BufferAllocator allocator) {
        this.server = server;
        this.executor = executor;
        this.allocator = allocator;
    }

    /** Serves the sandbox's released results on one address and port (0 picks a free one). */
    public static FlightResultServer start(Sandbox sandbox, String bindAddress, int port) throws IOException {
        return start(sandbox, new SandboxResults(sandbox), bindAddress, port, Limits.DEFAULT);
    }

    /**
     * Serves results from {@code results}, authenticating callers with the sandbox's CA and recording
     * every call in its ledger.
     */
    public static FlightResultServer start(Sandbox sandbox, ResultSource results, String bindAddress, int port,
                                           Limits limits) throws IOException {
        FlightClients.useCopyingReads(); // the server reads messages too (a refused DoPut's, at least)
        BufferAllocator allocator = new RootAllocator(limits.allocatorLimit());
        ThreadPoolExecutor executor = new ThreadPoolExecutor(2, 16, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(256), r -> {
                    Thread thread = new Thread(r, "sandbox-flight");
                    thread.setDaemon(true);
                    thread.setUncaughtExceptionHandler(org.datasandbox.core.job.QuietFailures.HANDLER);
                    return thread;
                });
        try {
            ResultFlightProducer producer = new ResultFlightProducer(results, allocator, limits.streamLimit());
            // Flight's own (header) authentication stays off: identity is the client certificate, read by the
            // same interceptor as the sandbox's API; the last interceptor runs first.
            var flight = FlightGrpcUtils.createFlightService(allocator, producer, ServerAuthHandler.NO_OP, executor);
            Server server = NettyServerBuilder.forAddress(
                            new InetSocketAddress(InetAddress.getByName(bindAddress), port),
                            SandboxServer.tlsCredentials(sandbox))
                    .executor(executor)
                    .maxInboundMessageSize(SandboxServer.MAX_MESSAGE_BYTES)
                    .maxInboundMetadataSize(16 * 1024)
                    .addService(ServerInterceptors.intercept(flight, new ExceptionMappingInterceptor(),
                            new AuthenticationInterceptor(sandbox)))
                    .build().start();
            LOG.info("sandbox flight server listening on {} port {}", bindAddress, server.getPort());
            return new FlightResultServer(server, executor, allocator);
        } catch (IOException | RuntimeException e) {
            executor.shutdownNow();
            allocator.close();
            throw e;
        }
    }

    public int port() {
        return server.getPort();
    }

    /** Off-heap memory the streams hold now, in bytes. */
    public long allocatedBytes() {
        return allocator.getAllocatedMemory();
    }

    /** Stops taking calls, lets running streams finish for up to 10 seconds, then cancels the rest. */
    @Override
    public void close() {
        SandboxServer.drain(server);
        executor.shutdownNow();
        allocator.close();
    }
}
