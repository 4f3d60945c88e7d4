package org.datasandbox.api.interceptor;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.Map;
import org.datasandbox.core.ErrorCode;
import org.datasandbox.core.SandboxException;
import org.junit.jupiter.api.Test;

class StatusMappingTest {
    /** The oracle: the status each category of error stands for, stated apart from the mapping. */
    private static final Map<ErrorCode.Category, Status.Code> BY_CATEGORY = Map.of(
            ErrorCode.Category.USER_ERROR, Status.Code.INVALID_ARGUMENT,
            ErrorCode.Category.NOT_FOUND, Status.Code.NOT_FOUND,
            ErrorCode.Category.FAILED_PRECONDITION, Status.Code.FAILED_PRECONDITION,
            ErrorCode.Category.POLICY_DENIED, Status.Code.PERMISSION_DENIED,
            ErrorCode.Category.UNAUTHENTICATED, Status.Code.UNAUTHENTICATED,
            ErrorCode.Category.PERMISSION_DENIED, Status.Code.PERMISSION_DENIED,
            ErrorCode.Category.RESOURCE_EXHAUSTED, Status.Code.RESOURCE_EXHAUSTED,
            ErrorCode.Category.UNAVAILABLE, Status.Code.UNAVAILABLE,
            ErrorCode.Category.INTERNAL, Status.Code.INTERNAL);

    static ErrorInfo info(StatusRuntimeException e) throws Exception {
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        assertThat(status).isNotNull();
        for (com.google.protobuf.Any any : status.getDetailsList()) {
            if (any.is(ErrorInfo.class)) {
                return any.unpack(ErrorInfo.class);
            }
        }
        throw new AssertionError("no ErrorInfo");
    }

    @Test
    void toStatus_everyErrorCode_followsItsCategoryAndKeepsItsMessageAndCode() throws Exception {
        for (ErrorCode code : ErrorCode.values()) {
            StatusRuntimeException mapped = StatusMapping.toStatus(new SandboxException(code, "what went wrong"));
            Status.Code expected = code == ErrorCode.ALREADY_EXISTS ? Status.Code.ALREADY_EXISTS : BY_CATEGORY.get(code.category());
            assertThat(mapped.getStatus().getCode()).as(code.name()).isEqualTo(expected);
            assertThat(mapped.getStatus().getDescription()).isEqualTo("what went wrong");
            ErrorInfo info = info(mapped);
            assertThat(info.getReason()).isEqualTo(code.name());
            assertThat(info.getMetadataMap()).containsEntry("code", code.name());
            assertThat(info.getDomain()).isEqualTo(StatusMapping.DOMAIN);
        }
    }

    @Test
    void toStatus_policyDenial_namesTheRuleAsReasonAndKeepsTheDetails() throws Exception {
        SandboxException denied = new SandboxException(ErrorCode.POLICY_DENIED, "Access Denied: rows of people",
                Map.of("rule", "ROW_LEVEL_OUTPUT", "line", "1"));
        ErrorInfo info = info(StatusMapping.toStatus(denied));
        assertThat(info.getReason()).isEqualTo("ROW_LEVEL_OUTPUT");
        assertThat(info.getMetadataMap()).containsEntry("line", "1").containsEntry("code", "POLICY_DENIED");
    }

    @Test
    void toStatus_unknownException_isInternalWithAFixedTextAndNoCause() throws Exception {
        RuntimeException leak = new IllegalStateException("value 13800138000 of column phone", new RuntimeException("inner 42"));
        StatusRuntimeException mapped = StatusMapping.toStatus(leak);
        assertThat(mapped.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(mapped.getStatus().getDescription()).doesNotContain("13800138000", "phone", "IllegalState", "42");
        assertThat(mapped.getCause()).isNull();
        assertThat(info(mapped).getReason()).isEqualTo("INTERNAL");
        assertThat(info(mapped).getMetadataMap().values()).noneMatch(v -> v.contains("13800138000"));
    }

    @Test
    void toStatus_statusAlreadyMapped_passesThroughUnchanged() {
        StatusRuntimeException status = Status.NOT_FOUND.withDescription("x").asRuntimeException();
        assertThat(StatusMapping.toStatus(status)).isSameAs(status);
    }
}
