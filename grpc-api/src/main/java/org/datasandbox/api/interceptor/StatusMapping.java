package org.datasandbox.api.interceptor;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import org.datasandbox.core.ErrorCode;
import org.datasandbox.core.SandboxException;
import org.datasandbox.core.crypto.SecureRandoms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where exceptions become gRPC statuses. A {@link SandboxException} keeps its safe
 * message and becomes an {@code ErrorInfo} (reason: the error code, or the rule id for policy denials);
 * anything else becomes {@code INTERNAL} with a fixed text and a reference that only the server log
 * connects to the exception class. No cause ever crosses the wire.
 */
public final class StatusMapping {
    private static final Logger LOG = LoggerFactory.getLogger(StatusMapping.class);
    static final String DOMAIN = "datasandbox.org";

    private StatusMapping() {
    }

    /** The status and trailers (holding the ErrorInfo) of an error, ready for {@code ServerCall.close}. */
    public static void close(io.grpc.ServerCall<?, ?> call, Throwable error) {
        StatusRuntimeException mapped = toStatus(error);
        call.close(mapped.getStatus(), mapped.getTrailers() == null ? new io.grpc.Metadata() : mapped.getTrailers());
    }

    public static StatusRuntimeException toStatus(Throwable error) {
        if (isMalformedMessage(error)) {
            error = SandboxException.invalid("The request is not a valid request message of this method");
        } else if (error instanceof StatusRuntimeException status) {
            return status;
        }
        SandboxException known = error instanceof SandboxException e ? e : unknown(error);
        ErrorInfo.Builder info = ErrorInfo.newBuilder().setDomain(DOMAIN)
                .setReason(known.details().getOrDefault("rule", known.code().name()))
                .putMetadata("code", known.code().name());
        known.details().forEach(info::putMetadata);
        com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
                .setCode(code(known.code()).getNumber())
                .setMessage(known.getMessage())
                .addDetails(Any.pack(info.build()))
                .build();
        return StatusProto.toStatusRuntimeException(status);
    }

    /** A request that a method's marshaller could not parse (gRPC wraps protobuf's parse error). */
    private static boolean isMalformedMessage(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof com.google.protobuf.InvalidProtocolBufferException) {
                return true;
            }
        }
        return false;
    }

    private static SandboxException unknown(Throwable error) {
        String reference = SecureRandoms.hex(4);
        LOG.error("internal error {}: {}", reference, error.getClass().getName());
        return SandboxException.internal(reference);
    }

    static Code code(ErrorCode code) {
        return switch (code) {
            case INVALID_ARGUMENT, INVALID_CSV, INVALID_PARQUET, INVALID_POLICY, INVALID_SQL -> Code.INVALID_ARGUMENT;
            case ALREADY_EXISTS -> Code.ALREADY_EXISTS;
            case NOT_FOUND -> Code.NOT_FOUND;
            // the job exists but has no released result (yet): retrying the same call later may succeed
            case NOT_READY -> Code.FAILED_PRECONDITION;
            case POLICY_DENIED, PERMISSION_DENIED -> Code.PERMISSION_DENIED;
            case UNAUTHENTICATED -> Code.UNAUTHENTICATED;
            case TOO_LARGE, BUDGET_EXHAUSTED, TOO_MANY_JOBS -> Code.RESOURCE_EXHAUSTED;
            // outcomes of jobs, carried in job events; mapped by their category for completeness
            case CANCELLED -> Code.FAILED_PRECONDITION;
            // a held output waits for reviewers; a rejected one never leaves
            case AWAITING_REVIEW, REJECTED -> Code.FAILED_PRECONDITION;
            case INTERRUPTED -> Code.UNAVAILABLE;
            // a full queue is transient: gRPC's convention for "retry with a backoff" is UNAVAILABLE
            case BUSY -> Code.UNAVAILABLE;
            case EXECUTION_FAILED, LEDGER_INVALID, INTERNAL -> Code.INTERNAL;
            // the authorization has ended: no retry helps, a new application may
            case SCENARIO_EXPIRED -> Code.FAILED_PRECONDITION;
        };
    }
}
