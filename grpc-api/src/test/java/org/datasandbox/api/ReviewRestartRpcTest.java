package org.datasandbox.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import org.datasandbox.api.client.SandboxClient;
import org.datasandbox.api.server.SandboxServer;
import org.datasandbox.api.v1.JobState;
import org.datasandbox.api.v1.ReleaseRequestSummary;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.config.SandboxConfig;
import org.datasandbox.core.identity.CertificateAuthority;
import org.datasandbox.core.identity.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server stopped and started again on its data directory while an output waits for its second approval: the
 * first reviewer's vote still counts, the second approval releases the output, and what the developer fetches is
 * the output held before the restart, byte for byte.
 */
class ReviewRestartRpcTest {
    private static final String SCENARIO = "desk-restart";

    @TempDir
    Path dir;

    private Sandbox open() throws Exception {
        GrpcFixture.get(); // the JVM's Spark context
        return Sandbox.open(SandboxConfig.embedded(dir).withSampleRows(50));
    }

    private static SandboxClient secondReviewer(Sandbox sandbox, Path certs, int port) throws Exception {
        var keys = sandbox.config().keys();
        CertificateAuthority ca = CertificateAuthority.openOrCreate(sandbox.authority().layout(),
                new org.datasandbox.core.custody.SealedCaKeyStore(keys.caKeystore(),
                        new org.datasandbox.core.custody.KeyFile(keys.keyFile())));
        if (!Files.exists(certs.resolve("c.crt"))) {
            ca.issueClient("Zhao Min", Role.REVIEWER, certs.resolve("c.crt"), certs.resolve("c.key"));
        }
        return new SandboxClient("localhost", port, SandboxClient.credentials(
                sandbox.authority().layout().caCertificate(), certs.resolve("c.crt"), certs.resolve("c.key")));
    }

    private static ReleaseRequestSummary requestOf(SandboxClient reviewer, String job) {
        return reviewer.listReleaseRequests("").getRequestsList().stream().filter(r -> r.getJobId().equals(job))
                .findFirst().orElseThrow();
    }

    @Test
    void decideRelease_serverRestartedAfterTheFirstVote_secondVoteReleasesTheHeldBytes() throws Exception {
        Path certs = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-zhao"));
        String job;
        byte[] held;
        try (Sandbox sandbox = open()) {
            SandboxServer server = SandboxServer.start(sandbox, 0);
            try (SandboxClient provider = SandboxClient.forRole(sandbox.authority().layout(), Role.PROVIDER, server.port());
                 SandboxClient admin = SandboxClient.forRole(sandbox.authority().layout(), Role.ADMIN, server.port());
                 SandboxClient developer = SandboxClient.forRole(sandbox.authority().layout(), Role.DEVELOPER, server.port());
                 SandboxClient reviewer = SandboxClient.forRole(sandbox.authority().layout(), Role.REVIEWER, server.port())) {
                StringBuilder csv = new StringBuilder("person_id,ward\n");
                for (int id = 1; id <= 30; id++) {
                    csv.append(id).append(',').append(id % 2 == 0 ? "north" : "south").append('\n');
                }
                provider.registerDataset("wards", "", csv.toString().getBytes(StandardCharsets.UTF_8), Map.of());
                admin.applyPolicy("kind: table-policy\ntable: wards\none_row_per_unit: true\ncolumns:\n"
                        + "  - {name: person_id, role: privacy_unit}\n  - {name: ward, role: dimension}\n");
                admin.applyPolicy("kind: scenario\nid: " + SCENARIO + "\npurpose: restart\ndevelopers: [\""
                        + CertificateAuthority.DEMO_HOLDERS.get(Role.DEVELOPER) + "\"]\n"
                        + "output: {mode: review, k: 5, reviewers: 2}\ngrants: {wards: [\"*\"]}\n");
                job = developer.submitJob(SCENARIO, "SELECT ward, COUNT(*) AS people FROM wards GROUP BY ward")
                        .getJobId();
                assertThat(developer.watchJob(job, e -> { }).getState()).isEqualTo(JobState.HELD);
                ReleaseRequestSummary request = requestOf(reviewer, job);
                held = sandbox.releaseRequestResult(new org.datasandbox.core.identity.Identity(
                        CertificateAuthority.DEMO_HOLDERS.get(Role.REVIEWER), Role.REVIEWER, "test"), request.getId());
                assertThat(HexFormat.of().formatHex(sandbox.crypto().hash(held))).isEqualTo(request.getResultSha());
                assertThat(reviewer.decideRelease(request.getId(), "APPROVE", "two wards of fifteen").getApprovals())
                        .isEqualTo(1);
            } finally {
                server.close();
            }
        }

        try (Sandbox sandbox = open()) {
            SandboxServer server = SandboxServer.start(sandbox, 0);
            try (SandboxClient developer = SandboxClient.forRole(sandbox.authority().layout(), Role.DEVELOPER, server.port());
                 SandboxClient reviewer = SandboxClient.forRole(sandbox.authority().layout(), Role.REVIEWER, server.port());
                 SandboxClient zhao = secondReviewer(sandbox, certs, server.port())) {
                ReleaseRequestSummary request = requestOf(zhao, job);
                assertThat(request.getStatus()).isEqualTo("PENDING");
                assertThat(request.getApprovals()).as("the vote cast before the restart").isEqualTo(1);
                StatusRuntimeException twice = catchThrowableOfType(StatusRuntimeException.class,
                        () -> reviewer.decideRelease(request.getId(), "APPROVE", "again"));
                assertThat(twice).isNotNull();
                assertThat(ErrorDetails.of(twice).getReason()).isEqualTo("ALREADY_EXISTS");

                assertThat(zhao.decideRelease(request.getId(), "APPROVE", "checked").getStatus()).isEqualTo("APPROVED");
                assertThat(developer.fetchResult(job).arrowIpc()).isEqualTo(held);
            } finally {
                server.close();
            }
        }
    }
}
