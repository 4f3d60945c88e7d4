package org.datasandbox.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.datasandbox.api.client.SandboxClient;
import org.datasandbox.api.client.SingleReply;
import org.datasandbox.api.v1.CatalogServiceGrpc;
import org.datasandbox.api.v1.DatasetHeader;
import org.datasandbox.api.v1.DatasetInfo;
import org.datasandbox.api.v1.RegisterDatasetRequest;
import org.datasandbox.core.identity.PkiLayout;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.ledger.LedgerEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An upload that breaks off, or passes the quota, leaves no staging file and no table, and one ledger
 * entry for the attempt that holds its size and a reason, never a value.
 */
class UploadInterruptionTest {
    private static final String SECRET = "Qian Secretvalue";
    private static GrpcFixture fixture;
    private static ManagedChannel channel;

    @BeforeAll
    static void start() throws IOException {
        fixture = GrpcFixture.get();
        PkiLayout pki = fixture.sandbox.authority().layout();
        channel = Grpc.newChannelBuilderForAddress("localhost", fixture.server.port(), SandboxClient.credentials(
                pki.caCertificate(), pki.clientCertificate(Role.PROVIDER), pki.clientKey(Role.PROVIDER))).build();
    }

    @AfterAll
    static void stop() {
        channel.shutdownNow();
    }

    @Test
    void registerDataset_clientBreaksOffMidStream_leavesNothingAndIsRecorded() throws Exception {
        SingleReply<DatasetInfo> reply = new SingleReply<>();
        StreamObserver<RegisterDatasetRequest> upload = CatalogServiceGrpc.newStub(channel).registerDataset(reply);
        upload.onNext(RegisterDatasetRequest.newBuilder()
                .setHeader(DatasetHeader.newBuilder().setName("broken_off").setFormat("csv")).build());
        byte[] rows = ("id,name\n" + ("1," + SECRET + "\n").repeat(20_000)).getBytes(StandardCharsets.UTF_8);
        upload.onNext(RegisterDatasetRequest.newBuilder().setChunk(ByteString.copyFrom(rows)).build());
        waitFor(() -> stagedFiles() == 1, "the upload is staged while it arrives");
        upload.onError(new IllegalStateException("the client gave up")); // cancels the call

        waitFor(() -> failedAttempts("broken_off").size() == 1, "the broken-off attempt is recorded");
        LedgerEntry failed = failedAttempts("broken_off").get(0);
        assertThat(failed.details()).containsEntry("reason", "CANCELLED").containsEntry("bytes", Long.toString(rows.length));
        assertThat(failed.toString()).doesNotContain(SECRET);
        assertThat(stagedFiles()).isZero();
        assertThat(Files.exists(fixture.dataDir.resolve("catalog/datasets/broken_off.json"))).isFalse();
        assertThat(Files.exists(fixture.dataDir.resolve("data/originals/broken_off"))).isFalse();
    }

    @Test
    void registerDataset_pastTheQuota_isResourceExhaustedAndLeavesNothing() throws Exception {
        long quota = fixture.sandbox.config().maxUploadBytes();
        byte[] line = ("2," + SECRET + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] big = new byte[(int) quota + 1];
        for (int i = 0; i < big.length; i++) {
            big[i] = line[i % line.length];
        }
        assertThatThrownBy(() -> fixture.client(Role.PROVIDER).registerDataset("over_quota", "", "csv", big, Map.of()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    assertThat(e.getStatus().getDescription()).contains("quota").doesNotContain(SECRET);
                });
        waitFor(() -> failedAttempts("over_quota").size() == 1, "the refused attempt is recorded");
        assertThat(failedAttempts("over_quota").get(0).details()).containsEntry("reason", "TOO_LARGE");
        assertThat(stagedFiles()).isZero();
        assertThat(Files.exists(fixture.dataDir.resolve("catalog/datasets/over_quota.json"))).isFalse();
    }

    @Test
    void registerDataset_unterminatedQuote_isRefusedWithItsLineAndRecorded() throws Exception {
        String csv = "id,name\n1,ok\n2,\"" + SECRET + "\n3,later row\n";
        assertThatThrownBy(() -> fixture.client(Role.PROVIDER).registerDataset("open_quote", "",
                csv.getBytes(StandardCharsets.UTF_8), Map.of()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("a quote opened on line 3 is never closed")
                            .doesNotContain(SECRET);
                });
        assertThat(failedAttempts("open_quote")).singleElement()
                .satisfies(entry -> assertThat(entry.details()).containsEntry("reason", "INVALID_CSV"));
        assertThat(stagedFiles()).isZero();
    }

    private static long stagedFiles() {
        try (Stream<Path> files = Files.list(fixture.dataDir.resolve("staging"))) {
            return files.count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<LedgerEntry> failedAttempts(String name) {
        try {
            return fixture.sandbox.ledger().entries().stream()
                    .filter(e -> e.action().equals("dataset.upload.failed") && e.subject().equals(name)).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(50);
        }
    }
}
