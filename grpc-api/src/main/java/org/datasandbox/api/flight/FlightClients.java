package org.datasandbox.api.flight;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
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

    private FlightClients() {
    }

    /** A client of the Flight server at {@code host:port}; closing it closes its channel. */
    public static FlightClient connect(BufferAllocator allocator, String host, int port, ChannelCredentials credentials) {
        useCopyingReads();
        return FlightGrpcUtils.createFlightClient(allocator,
                Grpc.newChannelBuilderForAddress(host, port, credentials).build());
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
    }
}
