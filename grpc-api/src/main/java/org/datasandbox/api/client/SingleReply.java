package org.datasandbox.api.client;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;

/**
 * The one reply of a client-streaming call as a future: its first message completes it; an error, or an
 * end without a message, fails it.
 */
public final class SingleReply<T> implements StreamObserver<T> {
    private final CompletableFuture<T> reply = new CompletableFuture<>();

    @Override
    public void onNext(T value) {
        reply.complete(value);
    }

    @Override
    public void onError(Throwable t) {
        reply.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
        reply.completeExceptionally(new IllegalStateException("the call ended without a reply"));
    }

    public CompletableFuture<T> future() {
        return reply;
    }
}
