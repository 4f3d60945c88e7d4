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
}
