package org.datasandbox.api.interceptor;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicBoolean;

/** Closes a call with the mapped status when a service throws, instead of gRPC's generic UNKNOWN. */
public final class ExceptionMappingInterceptor implements ServerInterceptor {

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        AtomicBoolean closed = new AtomicBoolean();
        ServerCall<Q, R> guarded = new io.grpc.ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                if (closed.compareAndSet(false, true)) {
                    super.close(status, trailers);
                }
            }
        };
        ServerCall.Listener<Q> listener;
        try {
            listener = next.startCall(guarded, headers);
        } catch (Throwable e) { // Scala code throws checked exceptions undeclared
            close(guarded, e);
            return new ServerCall.Listener<>() {
            };
        }
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onMessage(Q message) {
                try {
                    super.onMessage(message);
                } catch (Throwable e) { // Scala code throws checked exceptions undeclared
                    close(guarded, e);
                }
            }

            @Override
            public void onHalfClose() {
                try {
                    super.onHalfClose();
                } catch (Throwable e) { // Scala code throws checked exceptions undeclared
                    close(guarded, e);
                }
            }

            @Override
            public void onReady() {
                try {
                    super.onReady();
                } catch (Throwable e) { // Scala code throws checked exceptions undeclared
                    close(guarded, e);
                }
            }
        };
    }

    /** Closes the call with the mapped status; errors the JVM cannot recover from are rethrown after. */
    private static void close(ServerCall<?, ?> call, Throwable error) {
        StatusMapping.close(call, error);
        if (error instanceof VirtualMachineError fatal) {
            throw fatal;
        }
    }
}
