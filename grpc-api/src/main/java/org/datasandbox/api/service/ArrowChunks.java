package org.datasandbox.api.service;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import org.datasandbox.api.v1.ArrowChunk;
import org.datasandbox.api.v1.ResultReceipt;

/** Sends an Arrow IPC stream as consecutive chunks, the receipt riding on the first. */
final class ArrowChunks {
    static final int CHUNK_BYTES = 1 << 20;

    private ArrowChunks() {
    }

    static void send(byte[] ipc, ResultReceipt receipt, StreamObserver<ArrowChunk> observer) {
        for (int offset = 0; offset == 0 || offset < ipc.length; offset += CHUNK_BYTES) {
            ArrowChunk.Builder chunk = ArrowChunk.newBuilder()
                    .setData(ByteString.copyFrom(ipc, offset, Math.min(CHUNK_BYTES, ipc.length - offset)));
            if (offset == 0 && receipt != null) {
                chunk.setReceipt(receipt);
            }
            observer.onNext(chunk.build());
            if (ipc.length == 0) {
                break;
            }
        }
        observer.onCompleted();
    }

    /** Sends an Arrow IPC stream read from {@code ipc} (a sealed result, say) in chunks of the same size. */
    static void send(java.io.InputStream ipc, ResultReceipt receipt, StreamObserver<ArrowChunk> observer)
            throws java.io.IOException {
        byte[] buffer = new byte[CHUNK_BYTES];
        boolean first = true;
        while (true) {
            int n = ipc.readNBytes(buffer, 0, CHUNK_BYTES);
            if (n == 0 && !first) {
                break;
            }
            ArrowChunk.Builder chunk = ArrowChunk.newBuilder().setData(ByteString.copyFrom(buffer, 0, n));
            if (first && receipt != null) {
                chunk.setReceipt(receipt);
            }
            observer.onNext(chunk.build());
            first = false;
            if (n < CHUNK_BYTES) {
                break;
            }
        }
        observer.onCompleted();
    }
}
