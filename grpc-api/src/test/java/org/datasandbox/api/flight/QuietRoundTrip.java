package org.datasandbox.api.flight;

import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightGrpcUtils;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.NoOpFlightProducer;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.flight.auth.ServerAuthHandler;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A fresh JVM's first Flight round trip, as the sandbox makes it (Flight's service and client on the shaded-Netty
 * gRPC transport, the sandbox's Flight set-up first), over plaintext on the loopback: for {@link FlightStderrTest},
 * which reads what it writes to stderr. Prints the rows it read to stdout.
 */
public final class QuietRoundTrip {
    private QuietRoundTrip() {
    }

    public static void main(String[] args) throws Exception {
        FlightClients.useCopyingReads(); // what the sandbox's Flight server and clients do first
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try (BufferAllocator allocator = new RootAllocator(64 << 20)) {
            Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0),
                            InsecureServerCredentials.create()).executor(executor)
                    .addService(FlightGrpcUtils.createFlightService(allocator, new ThreeRows(allocator),
                            ServerAuthHandler.NO_OP, executor)).build().start();
            long rows = 0;
            try (FlightClient client = FlightClients.connect(allocator, "127.0.0.1", server.getPort(),
                    InsecureChannelCredentials.create());
                 FlightStream stream = client.getStream(new Ticket("t".getBytes(StandardCharsets.UTF_8)))) {
                while (stream.next()) {
                    rows += stream.getRoot().getRowCount();
                }
            } finally {
                server.shutdownNow().awaitTermination();
            }
            System.out.println("rows=" + rows);
        } finally {
            executor.shutdownNow();
        }
    }

    /** Streams one batch of three rows for any ticket. */
    private static final class ThreeRows extends NoOpFlightProducer {
        private final BufferAllocator allocator;

        ThreeRows(BufferAllocator allocator) {
            this.allocator = allocator;
        }

        @Override
        public void getStream(CallContext context, Ticket ticket, ServerStreamListener listener) {
            Schema schema = new Schema(List.of(Field.nullable("n", new ArrowType.Int(32, true))));
            try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
                IntVector n = (IntVector) root.getVector("n");
                for (int i = 0; i < 3; i++) {
                    n.setSafe(i, i);
                }
                root.setRowCount(3);
                listener.start(root);
                listener.putNext();
                listener.completed();
            }
        }
    }
}
