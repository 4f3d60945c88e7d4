package org.datasandbox.api.flight;

import io.grpc.Drainable;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.ByteBufAllocator;
import io.grpc.netty.shaded.io.netty.buffer.CompositeByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.PooledByteBufAllocator;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Flight's {@code DoGet} answers with its record batches' Arrow buffers handed to gRPC's (shaded) Netty
 * transport as they are, instead of copied into gRPC's buffers: Flight frames a batch as a composite of the
 * message header and the batch's buffers, retaining the buffers until the composite is released; here that
 * composite is wrapped as a buffer of the shaded Netty (the same memory), appended to gRPC's buffer chain
 * ({@link GrpcBufferChain}), and released when Netty has written it. Only a stream that counts what Netty
 * holds ({@link NettyHeldBatches}, so its allocator closes after the last write) is sent this way; anything
 * else (another stream, gRPC internals this version lacks, Flight's non-retaining framing) is copied as
 * before. The bytes on the wire are the same either way.
 */
final class ZeroCopyBatches<T> implements MethodDescriptor.Marshaller<T> {
    /** Arrow's switch that makes a framed batch retain its buffers: without it the pump's next batch frees them. */
    static final String RETAINING_WRITES = "arrow.flight.enable_zero_copy_write";
    /** Parts smaller than this (the header, padding) are copied together into one buffer rather than wrapped. */
    private static final int WRAP_AT_LEAST = 1024;
    private static final Field FLIGHT_COMPOSITE = flightComposite();

    private final MethodDescriptor.Marshaller<T> flight;
    private final LongAdder sent;

    private ZeroCopyBatches(MethodDescriptor.Marshaller<T> flight, LongAdder sent) {
        this.flight = flight;
        this.sent = sent;
    }

    /** Whether batches can go zero-copy in this process (Flight's and gRPC's internals as expected). */
    static boolean available() {
        return FLIGHT_COMPOSITE != null && GrpcBufferChain.available();
    }

    /**
     * Flight's service with {@code DoGet}'s responses framed zero-copy, counting in {@code sent} the batches
     * that went so; every other method as it was.
     */
    static ServerServiceDefinition onDoGet(ServerServiceDefinition service, LongAdder sent) {
        ServiceDescriptor old = service.getServiceDescriptor();
        ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(old.getName())
                .setSchemaDescriptor(old.getSchemaDescriptor());
        List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
        for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
            ServerMethodDefinition<?, ?> served = "DoGet".equals(method.getMethodDescriptor().getBareMethodName())
                    ? zeroCopy(method, sent) : method;
            methods.add(served);
            descriptor.addMethod(served.getMethodDescriptor());
        }
        ServerServiceDefinition.Builder rebuilt = ServerServiceDefinition.builder(descriptor.build());
        methods.forEach(rebuilt::addMethod);
        return rebuilt.build();
    }

    private static <Q, R> ServerMethodDefinition<Q, R> zeroCopy(ServerMethodDefinition<Q, R> method, LongAdder sent) {
        MethodDescriptor<Q, R> descriptor = method.getMethodDescriptor();
        return ServerMethodDefinition.create(descriptor.toBuilder()
                .setResponseMarshaller(new ZeroCopyBatches<>(descriptor.getResponseMarshaller(), sent)).build(),
                method.getServerCallHandler());
    }

    @Override
    public InputStream stream(T value) {
        InputStream framed = flight.stream(value);
        NettyHeldBatches held = NettyHeldBatches.current();
        if (held == null || !available() || framed.getClass() != FLIGHT_COMPOSITE.getDeclaringClass()) {
            return framed; // the schema message, or a stream that does not count what Netty holds
        }
        try {
            io.netty.buffer.CompositeByteBuf composite = (io.netty.buffer.CompositeByteBuf) FLIGHT_COMPOSITE.get(framed);
            if (composite.getClass() == io.netty.buffer.CompositeByteBuf.class) {
                return framed; // Flight did not retain the batch's buffers: they must be copied before the next batch
            }
            return new Batch(framed, composite, held, sent);
        } catch (IllegalAccessException e) {
            return framed;
        }
    }

    @Override
    public T parse(InputStream stream) {
        return flight.parse(stream);
    }

    private static Field flightComposite() {
        try {
            Field field = Class.forName("org.apache.arrow.flight.ArrowMessage$DrainableByteBufInputStream")
                    .getDeclaredField("buf");
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** One framed batch: drained into gRPC's chain as a wrapped buffer, or copied when the chain will not take it. */
    private static final class Batch extends InputStream implements Drainable {
        private final InputStream framed;
        private final io.netty.buffer.CompositeByteBuf composite;
        private final NettyHeldBatches held;
        private final LongAdder sent;

        Batch(InputStream framed, io.netty.buffer.CompositeByteBuf composite, NettyHeldBatches held, LongAdder sent) {
            this.framed = framed;
            this.composite = composite;
            this.held = held;
            this.sent = sent;
        }

        @Override
        public int drainTo(OutputStream target) throws IOException {
            int length = composite.readableBytes();
            held.hold();
            composite.retain(); // the wrapper's reference, given back when Netty releases the wrapper
            ByteBuf wrapped = wrap(composite, () -> {
                composite.release();
                held.released();
            });
            if (GrpcBufferChain.append(target, wrapped)) {
                sent.increment();
                return length;
            }
            wrapped.release();
            return ((Drainable) framed).drainTo(target);
        }

        @Override
        public int read() throws IOException {
            return framed.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return framed.read(b, off, len);
        }

        @Override
        public void close() throws IOException {
            framed.close();
        }
    }

    /**
     * The composite's bytes as one buffer of the shaded Netty: its large direct parts (the batch's buffers)
     * wrapped, the small ones (header, padding) copied together into direct memory, so that the TLS engine
     * reads the whole from native memory without another copy. {@code onRelease} runs once, when the last
     * reference is released.
     */
    private static ByteBuf wrap(io.netty.buffer.CompositeByteBuf composite, Runnable onRelease) {
        List<ByteBuf> parts = new ArrayList<>();
        ByteBuf small = null;
        for (ByteBuffer part : composite.nioBuffers(composite.readerIndex(), composite.readableBytes())) {
            if (part.isDirect() && part.remaining() >= WRAP_AT_LEAST) {
                if (small != null) {
                    parts.add(small);
                    small = null;
                }
                parts.add(Unpooled.wrappedBuffer(part));
            } else {
                if (small == null) {
                    small = PooledByteBufAllocator.DEFAULT.directBuffer(Math.max(part.remaining(), 256));
                }
                small.writeBytes(part);
            }
        }
        if (small != null) {
            parts.add(small);
        }
        return new Released(PooledByteBufAllocator.DEFAULT, parts, onRelease);
    }

    /** A composite of the shaded Netty that runs a hook after freeing its parts. */
    private static final class Released extends CompositeByteBuf {
        private final Runnable onRelease;

        Released(ByteBufAllocator allocator, List<ByteBuf> parts, Runnable onRelease) {
            super(allocator, true, Math.max(2, parts.size()), parts);
            this.onRelease = onRelease;
        }

        @Override
        protected void deallocate() {
            try {
                super.deallocate();
            } finally {
                onRelease.run();
            }
        }
    }
}
