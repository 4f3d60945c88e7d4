package org.datasandbox.api.interceptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.datasandbox.api.v1.AuditServiceGrpc;
import org.datasandbox.api.v1.LedgerVerification;
import org.datasandbox.api.v1.SandboxProto;
import org.datasandbox.api.v1.VerifyLedgerRequest;
import org.datasandbox.core.SandboxException;
import org.datasandbox.core.identity.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The interceptors on an in-process server with a hand-written service; server and channel closed after each test. */
class InterceptorsInProcessTest {
    private Server server;
    private ManagedChannel channel;

    /** A ledger service that does whatever the test tells it to. */
    private static final class ScriptedAudit extends AuditServiceGrpc.AuditServiceImplBase {
        private final Supplier<Throwable> failure;
        private final boolean answerFirst;

        ScriptedAudit(boolean answerFirst, Supplier<Throwable> failure) {
            this.answerFirst = answerFirst;
            this.failure = failure;
        }

        @Override
        public void verifyLedger(VerifyLedgerRequest request, StreamObserver<LedgerVerification> responses) {
            if (answerFirst) {
                responses.onNext(LedgerVerification.newBuilder().setValid(true).setEntries(3).build());
                responses.onCompleted();
            }
            Throwable error = failure.get();
            if (error instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw (Error) error;
        }
    }

    private AuditServiceGrpc.AuditServiceBlockingStub start(ScriptedAudit service) throws Exception {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(ServerInterceptors.intercept(service, new ExceptionMappingInterceptor())).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        return AuditServiceGrpc.newBlockingStub(channel);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void exceptionMapping_sandboxException_reachesTheClientWithItsStatusAndMessage() throws Exception {
        var stub = start(new ScriptedAudit(false, () -> SandboxException.notFound("ledger 'x'")));
        assertThatThrownBy(() -> stub.verifyLedger(VerifyLedgerRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(e.getStatus().getDescription()).contains("ledger 'x'");
                });
    }

    @Test
    void exceptionMapping_unknownFailure_isInternalWithoutItsMessage() throws Exception {
        var stub = start(new ScriptedAudit(false, () -> new IllegalArgumentException("row 7: 420106199001011234")));
        assertThatThrownBy(() -> stub.verifyLedger(VerifyLedgerRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
                    assertThat(e.getStatus().getDescription()).doesNotContain("420106199001011234", "row 7");
                    assertThat(e.getCause()).isNull();
                });
    }

    @Test
    void exceptionMapping_failureAfterTheAnswer_leavesTheAnswerAsSent() throws Exception {
        var stub = start(new ScriptedAudit(true, () -> new IllegalStateException("late")));
        LedgerVerification answer = stub.verifyLedger(VerifyLedgerRequest.getDefaultInstance());
        assertThat(answer.getEntries()).isEqualTo(3);
    }

    @Test
    void exceptionMapping_errorOfTheJvm_closesTheCallAndIsRethrown() throws Exception {
        var stub = start(new ScriptedAudit(false, () -> new OutOfMemoryError("simulated")));
        assertThatThrownBy(() -> stub.verifyLedger(VerifyLedgerRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isIn(Status.Code.INTERNAL, Status.Code.UNKNOWN));
    }

    @Test
    void rpcPermissions_everyMethodOfEveryService_isAllowedToSomeRoleAndNothingElseIs() {
        // from the proto file's descriptor, so that a new service is covered without editing this test
        for (com.google.protobuf.Descriptors.ServiceDescriptor service : SandboxProto.getDescriptor().getServices()) {
            for (com.google.protobuf.Descriptors.MethodDescriptor method : service.getMethods()) {
                String name = MethodDescriptor.generateFullMethodName(service.getFullName(), method.getName());
                assertThat(List.of(Role.values())).as(name).anyMatch(r -> RpcPermissions.allows(name, r));
            }
        }
        for (Role role : Role.values()) {
            assertThat(RpcPermissions.allows("datasandbox.v1.AuditService/DropLedger", role)).isFalse();
        }
        assertThat(RpcPermissions.allows(AuditServiceGrpc.getVerifyLedgerMethod().getFullMethodName(), Role.DEVELOPER)).isFalse();
    }
}
