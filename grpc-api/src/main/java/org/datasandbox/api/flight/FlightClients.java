package org.datasandbox.api.flight;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightGrpcUtils;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Flight clients for Java callers of the sandbox (tests, benchmarks, tools): Arrow's {@link FlightClient} over
 * a gRPC channel of the project's own (shaded-Netty) transport, with the caller's TLS credentials.
 */
public final class FlightClients {
    /** Arrow's switch for its zero-copy read path. */
    static final String ZERO_COPY_READ = "arrow.flight.enable_zero_copy_read";
    /** A record batch is one message: a result's batches may be larger than gRPC's default 4 MiB. */
    static final int MAX_MESSAGE_BYTES = 64 << 20;

    private FlightClients() {
    }

    /** A client of the Flight server at {@code host:port} with gRPC's default receive window; closing it closes its channel. */
    public static FlightClient connect(BufferAllocator allocator, String host, int port, ChannelCredentials credentials) {
        useCopyingReads();
        return FlightGrpcUtils.createFlightClient(allocator,
                Grpc.newChannelBuilderForAddress(host, port, credentials).maxInboundMessageSize(MAX_MESSAGE_BYTES).build());
    }

    /**
     * A client with a fixed HTTP/2 receive window of {@code windowBytes}: how far the server may stream ahead of
     * this reader. A large window keeps a fast reader from waiting on window updates (a round trip each), at
     * the price of that much buffered data; back-pressure still bounds the server to it.
     */
    public static FlightClient connect(BufferAllocator allocator, String host, int port, ChannelCredentials credentials,
                                       int windowBytes) {
        useCopyingReads();
        return FlightGrpcUtils.createFlightClient(allocator, NettyChannelBuilder.forAddress(host, port, credentials)
                .flowControlWindow(windowBytes).maxInboundMessageSize(MAX_MESSAGE_BYTES).build());
    }

    /**
     * Turns Flight 18.3's zero-copy read path off before its message class first loads: that path calls
     * {@code io.grpc.internal.ReadableBuffer.readBytes(ByteBuffer)}, which the gRPC this project runs (1.85)
     * no longer has, so every message would fail to read. The copying path reads the same bytes.
     */
    static void useCopyingReads() {
        if (System.getProperty(ZERO_COPY_READ) == null) {
            System.setProperty(ZERO_COPY_READ, "false");
        }
        ArrowFallbackNotice.loadQuietly(); // the writer side's notice, kept off stderr
    }
}
