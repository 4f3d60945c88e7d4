package org.datasandbox.api;

import com.google.rpc.ErrorInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/** Reads the google.rpc.ErrorInfo the server attaches to its errors. */
final class ErrorDetails {
    private ErrorDetails() {
    }

    static ErrorInfo of(StatusRuntimeException e) {
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        if (status == null) {
            throw new AssertionError("no rich status in " + e.getStatus());
        }
        try {
            for (com.google.protobuf.Any any : status.getDetailsList()) {
                if (any.is(ErrorInfo.class)) {
                    return any.unpack(ErrorInfo.class);
                }
            }
        } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
            throw new AssertionError(ex);
        }
        throw new AssertionError("no ErrorInfo in " + e.getStatus());
    }
}
