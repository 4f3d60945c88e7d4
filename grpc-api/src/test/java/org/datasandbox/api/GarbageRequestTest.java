package org.datasandbox.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.datasandbox.api.v1.CatalogServiceGrpc;
import org.datasandbox.api.v1.JobServiceGrpc;
import org.datasandbox.core.identity.PkiLayout;
import org.datasandbox.core.identity.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bytes that are not a message of the method called, to any method: INVALID_ARGUMENT with an ErrorInfo,
 * no exception text, one ledger entry for the call, and the server goes on serving.
 */
class GarbageRequestTest {
    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private static GrpcFixture fixture;
    private static ManagedChannel channel;

    @BeforeAll
    static void start() throws IOException {
        fixture = GrpcFixture.get();
        PkiLayout pki = fixture.sandbox.authority().layout();
        channel = Grpc.newChannelBuilderForAddress("localhost", fixture.server.port(),
                org.datasandbox.api.client.SandboxClient.credentials(pki.caCertificate(),
                        pki.clientCertificate(Role.DEVELOPER), pki.clientKey(Role.DEVELOPER))).build();
    }

    @AfterAll
    static void stop() {
        channel.shutdownNow();
    }

    private static MethodDescriptor<byte[], byte[]> raw(MethodDescriptor<?, ?> method) {
        return method.toBuilder(BYTES, BYTES).build();
    }

    @Test
    void anyMethod_garbageBytes_isInvalidArgumentWithErrorInfoAndOneLedgerEntry() throws IOException {
        byte[] garbage = new byte[512];
        new Random(7).nextBytes(garbage);
        garbage[0] = (byte) 0xff; // field 31, wire type 7: no protobuf message starts like this
        for (MethodDescriptor<?, ?> method : List.<MethodDescriptor<?, ?>>of(CatalogServiceGrpc.getListCatalogMethod(),
                JobServiceGrpc.getSubmitJobMethod(), JobServiceGrpc.getGetBudgetMethod())) {
            long before = rpcEntries(method.getFullMethodName());
            assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, raw(method),
                    CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), garbage))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                        assertThat(e.getStatus().getDescription()).contains("not a valid request")
                                .doesNotContain("Exception").doesNotContain("\tat ");
                        assertThat(ErrorDetails.of(e).getReason()).isEqualTo("INVALID_ARGUMENT");
                    });
            assertThat(rpcEntries(method.getFullMethodName())).as(method.getFullMethodName()).isEqualTo(before + 1);
        }
        // still serving
        assertThat(fixture.client(Role.DEVELOPER).listCatalog().getTablesCount()).isPositive();
    }

    private static long rpcEntries(String method) throws IOException {
        return fixture.sandbox.ledger().entries().stream()
                .filter(e -> e.action().equals("rpc") && e.subject().equals(method)
                        && "INVALID_ARGUMENT".equals(e.details().get("status")))
                .count();
    }
}
