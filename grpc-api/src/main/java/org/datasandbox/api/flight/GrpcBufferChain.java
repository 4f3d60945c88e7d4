package org.datasandbox.api.flight;

import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * gRPC's hook for zero-copy writes, on the project's shaded transport: a message that gRPC frames without a
 * known length is drained into a chain of transport buffers ({@code MessageFramer.BufferChainOutputStream}),
 * and a buffer appended to that chain is handed to Netty as it is, instead of being copied. This is what
 * Arrow Flight does for gRPC's unshaded transport ({@code AddWritableBuffer}); neither gRPC nor Flight offers
 * it as public API, so it is reached by reflection, and when gRPC's internals differ (another version) it is
 * off and messages are copied as before ({@link #available()} says which; a test fails if it is off).
 */
final class GrpcBufferChain {
    private static final Logger LOG = LoggerFactory.getLogger(GrpcBufferChain.class);
    private static final Hooks HOOKS = Hooks.find();

    private GrpcBufferChain() {
    }

    private record Hooks(Class<?> chainClass, Field bufferList, Field current, Constructor<?> writableBuffer) {
        static Hooks find() {
            try {
                Class<?> chain = Class.forName("io.grpc.internal.MessageFramer$BufferChainOutputStream");
                Field list = chain.getDeclaredField("bufferList");
                Field current = chain.getDeclaredField("current");
                Constructor<?> buffer = Class.forName("io.grpc.netty.shaded.io.grpc.netty.NettyWritableBuffer")
                        .getDeclaredConstructor(ByteBuf.class);
                list.setAccessible(true);
                current.setAccessible(true);
                buffer.setAccessible(true);
                return new Hooks(chain, list, current, buffer);
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.warn("zero-copy Flight writes are off, batches are copied into gRPC's buffers ({})", e.toString());
                return null;
            }
        }
    }

    /** Whether this gRPC has the hook: false means every batch is copied (slower, same bytes). */
    static boolean available() {
        return HOOKS != null;
    }

    /**
     * Appends {@code buffer} to gRPC's chain if {@code target} is one that has nothing buffered yet, handing
     * gRPC (and then Netty, which releases it once written) the caller's reference. False (and the buffer
     * untouched) when {@code target} is not such a chain: the caller then writes the bytes into it instead.
     */
    @SuppressWarnings("unchecked")
    static boolean append(OutputStream target, ByteBuf buffer) {
        if (HOOKS == null || target.getClass() != HOOKS.chainClass()) {
            return false;
        }
        try {
            if (HOOKS.current().get(target) != null) {
                return false;
            }
            Object writable = HOOKS.writableBuffer().newInstance(buffer);
            ((List<Object>) HOOKS.bufferList().get(target)).add(writable);
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
