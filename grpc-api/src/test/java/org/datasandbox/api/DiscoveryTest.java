package org.datasandbox.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.datasandbox.api.client.SandboxClient;
import org.datasandbox.api.client.SingleReply;
import org.datasandbox.api.server.SandboxServer;
import org.datasandbox.api.v1.JobServiceGrpc;
import org.datasandbox.api.v1.SandboxProto;
import org.datasandbox.core.identity.PkiLayout;
import org.datasandbox.core.identity.Role;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The standard health service (open to probes) and server reflection (behind authentication) on the real TLS server. */
class DiscoveryTest {
    private static GrpcFixture fixture;

    @BeforeAll
    static void start() {
        fixture = GrpcFixture.get();
    }

    private static ManagedChannel channel(int port, ChannelCredentials credentials) {
        return Grpc.newChannelBuilderForAddress("localhost", port, credentials).build();
    }

    private static ChannelCredentials anonymous() throws Exception {
        return TlsChannelCredentials.newBuilder()
                .trustManager(fixture.sandbox.authority().layout().caCertificate().toFile()).build();
    }

    private static ChannelCredentials of(Role role) throws Exception {
        PkiLayout pki = fixture.sandbox.authority().layout();
        return SandboxClient.credentials(pki.caCertificate(), pki.clientCertificate(role), pki.clientKey(role));
    }

    /** One reflection exchange: sends the request, returns the single answer or the call's error. */
    private static ServerReflectionResponse reflect(ManagedChannel channel, ServerReflectionRequest request) throws Exception {
        SingleReply<ServerReflectionResponse> answer = new SingleReply<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
                .withDeadlineAfter(30, TimeUnit.SECONDS).serverReflectionInfo(answer);
        requests.onNext(request);
        requests.onCompleted();
        try {
            return answer.future().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    @Test
    void health_probeWithoutCertificate_isServingForTheServerAndEachService() throws Exception {
        ManagedChannel channel = channel(fixture.server.port(), anonymous());
        try {
            var health = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
            for (String service : List.of("", JobServiceGrpc.SERVICE_NAME, "datasandbox.v1.CatalogService",
                    "datasandbox.v1.PolicyService", "datasandbox.v1.AuditService")) {
                assertThat(health.check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus())
                        .as(service).isEqualTo(ServingStatus.SERVING);
            }
            assertThatThrownBy(() -> health.check(HealthCheckRequest.newBuilder().setService("no.Such").build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void health_onShutdown_watcherSeesNotServingBeforeTheServerStops() throws Exception {
        SandboxServer second = SandboxServer.start(fixture.sandbox, 0);
        ManagedChannel channel = channel(second.port(), anonymous());
        BlockingQueue<ServingStatus> seen = new LinkedBlockingQueue<>();
        Thread closing = new Thread(second::close, "closing-server");
        try {
            HealthGrpc.newStub(channel).watch(HealthCheckRequest.getDefaultInstance(), new StreamObserver<>() {
                @Override
                public void onNext(HealthCheckResponse value) {
                    seen.add(value.getStatus());
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                }
            });
            assertThat(seen.poll(30, TimeUnit.SECONDS)).isEqualTo(ServingStatus.SERVING);
            closing.start();
            assertThat(seen.poll(30, TimeUnit.SECONDS)).isEqualTo(ServingStatus.NOT_SERVING);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS); // ends the watch, so the drain ends
            if (!closing.isAlive() && closing.getState() == Thread.State.NEW) {
                second.close();
            }
            closing.join(30_000);
        }
    }

    @Test
    void reflection_withoutCertificate_isUnauthenticatedWithErrorInfo() throws Exception {
        ManagedChannel channel = channel(fixture.server.port(), anonymous());
        try {
            assertThatThrownBy(() -> reflect(channel, ServerReflectionRequest.newBuilder().setListServices("*").build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                        assertThat(ErrorDetails.of(e).getReason()).isEqualTo("UNAUTHENTICATED");
                        assertThat(ErrorDetails.of(e).getMetadataMap())
                                .containsEntry("method", "grpc.reflection.v1.ServerReflection/ServerReflectionInfo");
                    });
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void reflection_everyRole_listsEveryServiceOfSandboxProtoAndGivesItsDescriptor() throws Exception {
        List<String> expected = SandboxProto.getDescriptor().getServices().stream().map(s -> s.getFullName()).toList();
        for (Role role : Role.values()) {
            ManagedChannel channel = channel(fixture.server.port(), of(role));
            try {
                ServerReflectionResponse listed = reflect(channel, ServerReflectionRequest.newBuilder().setListServices("*").build());
                assertThat(listed.getListServicesResponse().getServiceList()).extracting(ServiceResponse::getName)
                        .as(role.label()).containsAll(expected).contains("grpc.health.v1.Health");
                ServerReflectionResponse file = reflect(channel, ServerReflectionRequest.newBuilder()
                        .setFileContainingSymbol(JobServiceGrpc.SERVICE_NAME).build());
                FileDescriptorProto proto = FileDescriptorProto.parseFrom(
                        file.getFileDescriptorResponse().getFileDescriptorProto(0));
                assertThat(proto.getName()).isEqualTo(SandboxProto.getDescriptor().getName());
                assertThat(proto.getServiceList()).extracting(s -> s.getName()).contains("JobService");
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }
}
