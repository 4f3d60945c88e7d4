package org.datasandbox.api.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.datasandbox.api.client.SingleReply;
import org.datasandbox.api.interceptor.ExceptionMappingInterceptor;
import org.datasandbox.api.interceptor.TestCallers;
import org.datasandbox.api.v1.CatalogServiceGrpc;
import org.datasandbox.api.v1.DatasetHeader;
import org.datasandbox.api.v1.DatasetInfo;
import org.datasandbox.api.v1.RegisterDatasetRequest;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.config.SandboxConfig;
import org.datasandbox.core.identity.CertificateAuthority;
import org.datasandbox.core.identity.Identity;
import org.datasandbox.core.identity.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The upload stream of {@link CatalogGrpcService} on an in-process server (no TLS: a hand-written caller
 * stands in for the certificate): the order of header and chunks, the size limit and the file format are
 * the service's to check, and each refusal reaches the client as its status.
 */
class CatalogServiceInProcessTest {
    private static final Identity PROVIDER = new Identity(CertificateAuthority.DEMO_HOLDERS.get(Role.PROVIDER),
            Role.PROVIDER, "in-process-provider");
    private static Sandbox sandbox;
    private Server server;
    private ManagedChannel channel;

    @BeforeAll
    static void open() throws Exception {
        // the JVM's Spark session is shared: a second sandbox over its own directory, with a small upload limit
        sandbox = Sandbox.open(SandboxConfig.embedded(java.nio.file.Files.createTempDirectory("in-process"))
                .withMaxUploadBytes(1024));
    }

    @AfterAll
    static void closeSandbox() {
        sandbox.close(); // its jobs and listener; the JVM's Spark session stays for the other test classes
    }

    @BeforeEach
    void start() throws Exception {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(ServerInterceptors.intercept(new CatalogGrpcService(sandbox), new ExceptionMappingInterceptor(),
                        TestCallers.as(PROVIDER)))
                .build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    @AfterEach
    void tearDown() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private DatasetInfo upload(List<RegisterDatasetRequest> parts) throws Exception {
        SingleReply<DatasetInfo> reply = new SingleReply<>();
        StreamObserver<RegisterDatasetRequest> stream = CatalogServiceGrpc.newStub(channel).registerDataset(reply);
        parts.forEach(stream::onNext);
        stream.onCompleted();
        try {
            return reply.future().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    private static RegisterDatasetRequest header(String name, String format) {
        return RegisterDatasetRequest.newBuilder().setHeader(DatasetHeader.newBuilder().setName(name).setFormat(format)).build();
    }

    private static RegisterDatasetRequest chunk(String text) {
        return RegisterDatasetRequest.newBuilder().setChunk(ByteString.copyFrom(text, StandardCharsets.UTF_8)).build();
    }

    private static void assertStatus(Throwable error, Status.Code code, String message) {
        assertThat(error).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(code);
            assertThat(e.getStatus().getDescription()).contains(message);
        });
    }

    @Test
    void registerDataset_headerThenChunks_registersTheTable() throws Exception {
        DatasetInfo info = upload(List.of(header("in_process_ok", ""), chunk("id,ward\n1,"), chunk("a\n2,b\n")));

        assertThat(info.getName()).isEqualTo("in_process_ok");
        assertThat(info.getColumnsList()).extracting(c -> c.getName() + ":" + c.getType())
                .containsExactly("id:integer", "ward:string");
    }

    @Test
    void registerDataset_outOfOrderOrMissingHeader_isInvalidArgument() {
        assertStatus(org.assertj.core.api.Assertions.catchThrowable(() -> upload(List.of(chunk("id\n1\n"), header("x1", "")))),
                Status.Code.INVALID_ARGUMENT, "Send the dataset header before its bytes");
        assertStatus(org.assertj.core.api.Assertions.catchThrowable(() -> upload(List.of(header("x2", ""), header("x2", "")))),
                Status.Code.INVALID_ARGUMENT, "The header may only be sent once, first");
        assertStatus(org.assertj.core.api.Assertions.catchThrowable(() -> upload(List.of())),
                Status.Code.INVALID_ARGUMENT, "No dataset header was sent");
    }

    @Test
    void registerDataset_overTheLimitOrAnUnknownFormat_isRefusedAndNothingIsRegistered() throws Exception {
        String big = "id\n" + "1\n".repeat(600);
        assertStatus(org.assertj.core.api.Assertions.catchThrowable(() -> upload(List.of(header("too_big", ""), chunk(big)))),
                Status.Code.RESOURCE_EXHAUSTED, "The upload exceeds the quota of 1024 bytes");
        assertStatus(org.assertj.core.api.Assertions.catchThrowable(() -> upload(List.of(header("odd_format", "xlsx"), chunk("id\n1\n")))),
                Status.Code.INVALID_ARGUMENT, "the upload format must be csv or parquet");
        assertStatus(org.assertj.core.api.Assertions.catchThrowable(() -> upload(List.of(header("not_parquet", "parquet"), chunk("id\n1\n")))),
                Status.Code.INVALID_ARGUMENT, "Invalid Parquet");

        assertThat(upload(List.of(header("too_big", ""), chunk("id\n1\n"))).getName()).isEqualTo("too_big");
        assertThat(upload(List.of(header("not_parquet", "csv"), chunk("id\n1\n"))).getName()).isEqualTo("not_parquet");
    }
}
