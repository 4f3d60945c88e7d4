package org.datasandbox.api.flight;

/**
 * The record batches of one stream that gRPC's Netty transport still holds after the pump handed them over
 * (sent zero-copy, their Arrow buffers written by Netty straight from the stream's allocator). The stream's
 * allocator may close only once Netty has released the last of them, which may be after the pump finished:
 * {@link #closeWhenReleased} runs the close then, on whichever thread releases last.
 */
final class NettyHeldBatches {
    private static final ThreadLocal<NettyHeldBatches> SENDING = new ThreadLocal<>();

    private int held;
    private Runnable onReleased;

    /** Runs {@code send} with this tracker as the one that batches framed on this thread are counted against. */
    void sending(Runnable send) {
        SENDING.set(this);
        try {
            send.run();
        } finally {
            SENDING.remove();
        }
    }

    /** The tracker of the stream sending on this thread, or null: only a tracked stream may send zero-copy. */
    static NettyHeldBatches current() {
        return SENDING.get();
    }

    synchronized void hold() {
        if (onReleased != null) {
            throw new IllegalStateException("a batch was handed to Netty after its stream was released");
        }
        held++;
    }

    void released() {
        Runnable close;
        synchronized (this) {
            held--;
            close = held == 0 ? onReleased : null;
        }
        if (close != null) {
            close.run();
        }
    }

    /** Runs {@code close} now if Netty holds nothing of this stream, else when it releases the last batch. */
    void closeWhenReleased(Runnable close) {
        synchronized (this) {
            if (onReleased != null) {
                return;
            }
            onReleased = close;
            if (held > 0) {
                return;
            }
        }
        close.run();
    }
}
