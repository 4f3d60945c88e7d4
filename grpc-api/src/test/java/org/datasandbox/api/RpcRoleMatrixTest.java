package org.datasandbox.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import com.google.rpc.ErrorInfo;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsServerCredentials;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.datasandbox.api.client.SandboxClient;
import org.datasandbox.api.interceptor.AuthenticationInterceptor;
import org.datasandbox.api.interceptor.ExceptionMappingInterceptor;
import org.datasandbox.api.interceptor.RpcPermissions;
import org.datasandbox.api.v1.SandboxProto;
import org.datasandbox.core.identity.PkiLayout;
import org.datasandbox.core.identity.Role;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every RPC of every service in sandbox.proto, enumerated from the file's descriptor (so a new RPC or
 * service cannot be forgotten), called by every role over the real TLS server with an empty request:
 * a role RpcPermissions lists gets past the interceptor; any other is refused with PERMISSION_DENIED and
 * an ErrorInfo naming the method, and nothing of the call reaches the service.
 */
class RpcRoleMatrixTest {
    private static GrpcFixture fixture;

    @BeforeAll
    static void start() {
        fixture = GrpcFixture.get();
    }

    /** A generic descriptor of one RPC: empty dynamic request, response parsed as a dynamic message. */
    private static MethodDescriptor<DynamicMessage, DynamicMessage> generic(String service, String method,
                                                                          Descriptors.Descriptor input,
                                                                          Descriptors.Descriptor output,
                                                                          MethodDescriptor.MethodType type) {
        return MethodDescriptor.<DynamicMessage, DynamicMessage>newBuilder()
                .setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(service, method))
                .setRequestMarshaller(ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(input)))
                .setResponseMarshaller(ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(output)))
                .build();
    }

    private static MethodDescriptor.MethodType type(Descriptors.MethodDescriptor method) {
        if (method.isClientStreaming()) {
            return method.isServerStreaming() ? MethodDescriptor.MethodType.BIDI_STREAMING
                    : MethodDescriptor.MethodType.CLIENT_STREAMING;
        }
        return method.isServerStreaming() ? MethodDescriptor.MethodType.SERVER_STREAMING : MethodDescriptor.MethodType.UNARY;
    }

    /** Sends one empty request, half-closes and waits for the call's final status. */
    private static StatusRuntimeException call(ManagedChannel channel, MethodDescriptor<DynamicMessage, DynamicMessage> method,
                                               DynamicMessage request) throws Exception {
        CompletableFuture<StatusRuntimeException> closed = new CompletableFuture<>();
        ClientCall<DynamicMessage, DynamicMessage> call = channel.newCall(method,
                CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS));
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onClose(Status status, Metadata trailers) {
                closed.complete(status.asRuntimeException(trailers));
            }
        }, new Metadata());
        call.request(Integer.MAX_VALUE);
        call.sendMessage(request);
        call.halfClose();
        return closed.get(90, TimeUnit.SECONDS);
    }

    private static ManagedChannel channel(int port, Role role) throws Exception {
        PkiLayout pki = fixture.sandbox.authority().layout();
        return Grpc.newChannelBuilderForAddress("localhost", port, SandboxClient.credentials(pki.caCertificate(),
                pki.clientCertificate(role), pki.clientKey(role))).build();
    }

    /** True when the status is the interceptor's role refusal of this method. */
    private static boolean refusedByRole(StatusRuntimeException status, String fullMethodName, Role role) {
        if (status.getStatus().getCode() != Status.Code.PERMISSION_DENIED) {
            return false;
        }
        ErrorInfo info = ErrorDetails.of(status);
        return info.getReason().equals("PERMISSION_DENIED")
                && fullMethodName.equals(info.getMetadataMap().get("method"))
                && role.label().equals(info.getMetadataMap().get("role"));
    }

    @Test
    void everyRpcOfSandboxProto_byEveryRole_isAllowedExactlyAsRpcPermissionsSaysAndOtherwiseRefusedWithErrorInfo()
            throws Exception {
        List<Descriptors.ServiceDescriptor> services = SandboxProto.getDescriptor().getServices();
        assertThat(services).hasSizeGreaterThanOrEqualTo(4);
        List<String> outcomes = new ArrayList<>();
        for (Role role : Role.values()) {
            ManagedChannel channel = channel(fixture.server.port(), role);
            try {
                for (Descriptors.ServiceDescriptor service : services) {
                    for (Descriptors.MethodDescriptor rpc : service.getMethods()) {
                        var method = generic(service.getFullName(), rpc.getName(), rpc.getInputType(),
                                rpc.getOutputType(), type(rpc));
                        String name = method.getFullMethodName();
                        StatusRuntimeException status = call(channel, method, DynamicMessage.getDefaultInstance(rpc.getInputType()));
                        boolean allowed = RpcPermissions.allows(name, role);
                        if (allowed) {
                            assertThat(refusedByRole(status, name, role)).as(role + " " + name + ": " + status.getStatus()).isFalse();
                        } else {
                            assertThat(refusedByRole(status, name, role)).as(role + " " + name + ": " + status.getStatus()).isTrue();
                            assertThat(status.getStatus().getDescription())
                                    .isEqualTo("Access denied: the role " + role.label() + " may not call " + rpc.getName());
                        }
                        if (status.getStatus().getCode() != Status.Code.OK) {
                            // every error the server makes, allowed call or not, carries an ErrorInfo of our domain
                            assertThat(ErrorDetails.of(status).getDomain()).as(name).isEqualTo("datasandbox.org");
                        }
                        outcomes.add(role.label() + " " + rpc.getName() + " " + (allowed ? "allowed" : "refused"));
                    }
                }
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
        // the matrix covered every role times every RPC, and each role is refused somewhere
        int rpcs = services.stream().mapToInt(s -> s.getMethods().size()).sum();
        assertThat(outcomes).hasSize(rpcs * Role.values().length);
        for (Role role : Role.values()) {
            assertThat(outcomes).as(role.label()).anyMatch(o -> o.startsWith(role.label() + " ") && o.endsWith("refused"));
        }
    }

    /** The release review's table, written out (README, "Release review"): reviewers decide, admins only read. */
    @Test
    void reviewService_reviewersDecide_adminsRead_nobodyElse() {
        String list = org.datasandbox.api.v1.ReviewServiceGrpc.getListReleaseRequestsMethod().getFullMethodName();
        String get = org.datasandbox.api.v1.ReviewServiceGrpc.getGetReleaseRequestMethod().getFullMethodName();
        String decide = org.datasandbox.api.v1.ReviewServiceGrpc.getDecideReleaseMethod().getFullMethodName();
        for (Role role : Role.values()) {
            boolean reads = role == Role.REVIEWER || role == Role.ADMIN;
            assertThat(RpcPermissions.allows(list, role)).as(role + " list").isEqualTo(reads);
            assertThat(RpcPermissions.allows(get, role)).as(role + " get").isEqualTo(reads);
            assertThat(RpcPermissions.allows(decide, role)).as(role + " decide").isEqualTo(role == Role.REVIEWER);
        }
    }

    /** Data-quality feedback and reports, written out (README, "Data-quality feedback and reports"). */
    @Test
    void qualityAndReportServices_developersFile_providersAnswer_auditorsExport() {
        String file = org.datasandbox.api.v1.QualityServiceGrpc.getFileQualityIssueMethod().getFullMethodName();
        String answer = org.datasandbox.api.v1.QualityServiceGrpc.getAnswerQualityIssueMethod().getFullMethodName();
        String list = org.datasandbox.api.v1.QualityServiceGrpc.getListQualityIssuesMethod().getFullMethodName();
        String annual = org.datasandbox.api.v1.ReportServiceGrpc.getAnnualReportMethod().getFullMethodName();
        String export = org.datasandbox.api.v1.ReportServiceGrpc.getExportAuditMethod().getFullMethodName();
        for (Role role : Role.values()) {
            assertThat(RpcPermissions.allows(file, role)).as(role + " file").isEqualTo(role == Role.DEVELOPER);
            assertThat(RpcPermissions.allows(answer, role)).as(role + " answer").isEqualTo(role == Role.PROVIDER);
            assertThat(RpcPermissions.allows(list, role)).as(role + " list").isEqualTo(role != Role.REVIEWER);
            assertThat(RpcPermissions.allows(annual, role)).as(role + " annual")
                    .isEqualTo(role == Role.ADMIN || role == Role.AUDITOR);
            assertThat(RpcPermissions.allows(export, role)).as(role + " export").isEqualTo(role == Role.AUDITOR);
        }
    }

    @Test
    void methodNoRoleIsListedFor_isRefusedForEveryRoleBeforeTheServiceRuns() throws Exception {
        // A real TLS server like the sandbox's, serving one method RpcPermissions does not list.
        String unlisted = "datasandbox.v1.AuditService/DropLedger";
        var reached = new java.util.concurrent.atomic.AtomicInteger();
        var descriptor = generic("datasandbox.v1.AuditService", "DropLedger",
                com.google.protobuf.Empty.getDescriptor(), com.google.protobuf.Empty.getDescriptor(),
                MethodDescriptor.MethodType.UNARY);
        ServerServiceDefinition service = ServerServiceDefinition.builder("datasandbox.v1.AuditService")
                .addMethod(descriptor, ServerCalls.asyncUnaryCall((request, responses) -> {
                    reached.incrementAndGet();
                    responses.onNext(request);
                    responses.onCompleted();
                })).build();
        PkiLayout pki = fixture.sandbox.authority().layout();
        var key = fixture.sandbox.serverCredentials(); // from key custody: no server key file in the data directory
        var tls = TlsServerCredentials.newBuilder().keyManager(
                        new java.io.ByteArrayInputStream(org.datasandbox.core.crypto.Pem.certificatesText(key.chain())
                                .getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
                        new java.io.ByteArrayInputStream(org.datasandbox.core.crypto.Pem.privateKeyText(key.key())
                                .getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                .trustManager(pki.caCertificate().toFile()).clientAuth(TlsServerCredentials.ClientAuth.OPTIONAL).build();
        Server server = Grpc.newServerBuilderForPort(0, tls).addService(ServerInterceptors.intercept(service,
                new ExceptionMappingInterceptor(), new AuthenticationInterceptor(fixture.sandbox))).build().start();
        try {
            for (Role role : Role.values()) {
                assertThat(RpcPermissions.allows(unlisted, role)).isFalse();
                ManagedChannel channel = channel(server.getPort(), role);
                try {
                    StatusRuntimeException status = call(channel, descriptor,
                            DynamicMessage.getDefaultInstance(com.google.protobuf.Empty.getDescriptor()));
                    assertThat(refusedByRole(status, unlisted, role)).as(role + ": " + status.getStatus()).isTrue();
                } finally {
                    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                }
            }
        } finally {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        assertThat(reached).hasValue(0);
    }

    @Test
    void everyRpcOfFlightProto_byEveryRole_isAllowedExactlyAsRpcPermissionsSaysAndOtherwiseRefusedWithErrorInfo()
            throws Exception {
        // Arrow Flight's service, as the sandbox's Flight server serves it: DoGet, GetFlightInfo and GetSchema for
        // developers (an empty ticket or descriptor then fails with the sandbox's ErrorInfo), nothing else for anyone
        List<Descriptors.ServiceDescriptor> services = org.apache.arrow.flight.impl.Flight.getDescriptor().getServices();
        List<String> outcomes = new ArrayList<>();
        try (var flight = org.datasandbox.api.flight.FlightResultServer.start(fixture.sandbox, "127.0.0.1", 0)) {
            for (Role role : Role.values()) {
                ManagedChannel channel = channel(flight.port(), role);
                try {
                    for (Descriptors.ServiceDescriptor service : services) {
                        for (Descriptors.MethodDescriptor rpc : service.getMethods()) {
                            var method = generic(service.getFullName(), rpc.getName(), rpc.getInputType(),
                                    rpc.getOutputType(), type(rpc));
                            String name = method.getFullMethodName();
                            StatusRuntimeException status = call(channel, method, flightRequest(rpc.getInputType()));
                            boolean allowed = RpcPermissions.allows(name, role);
                            assertThat(refusedByRole(status, name, role)).as(role + " " + name + ": " + status.getStatus())
                                    .isEqualTo(!allowed);
                            assertThat(status.getStatus().getCode()).as(name).isNotEqualTo(Status.Code.OK);
                            assertThat(ErrorDetails.of(status).getDomain()).as(name).isEqualTo("datasandbox.org");
                            if (allowed) {
                                outcomes.add(role.label() + " " + rpc.getName());
                            }
                        }
                    }
                } finally {
                    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                }
            }
        }
        assertThat(outcomes).containsExactlyInAnyOrder("developer DoGet", "developer GetFlightInfo", "developer GetSchema");
    }

    /**
     * An empty request, except that a descriptor says it is a path: Flight's own code turns a descriptor of
     * unknown type into INTERNAL before the sandbox sees it (one of gRPC's and Flight's own errors, without
     * ErrorInfo); an empty path is the sandbox's to refuse.
     */
    private static DynamicMessage flightRequest(Descriptors.Descriptor input) {
        Descriptors.FieldDescriptor type = input.findFieldByName("type");
        if (type == null || type.getJavaType() != Descriptors.FieldDescriptor.JavaType.ENUM) {
            return DynamicMessage.getDefaultInstance(input);
        }
        return DynamicMessage.newBuilder(input).setField(type, type.getEnumType().findValueByName("PATH")).build();
    }
}
