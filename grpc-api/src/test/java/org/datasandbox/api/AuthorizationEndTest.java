package org.datasandbox.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.datasandbox.api.client.SandboxClient;
import org.datasandbox.api.v1.ApplicationTable;
import org.datasandbox.api.v1.DeletionCertificateInfo;
import org.datasandbox.api.v1.SampleRequest;
import org.datasandbox.api.v1.ScenarioApplicationRequest;
import org.datasandbox.core.crypto.Pem;
import org.datasandbox.core.identity.Identity;
import org.datasandbox.core.identity.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The end of an authorization over the real TLS server: after a termination (or the end of a term) the scenario
 * is refused, the certificate of a developer left with no scenario is refused while one with another scenario
 * keeps working, no sample folder kept for it opens any more (each is tried), none of its keys is left, the
 * deletion certificate verifies offline with the ledger key (and an altered one does not), and the ledger still
 * verifies. The table {@code ending_visits} is this class's alone.
 */
class AuthorizationEndTest {
    private static final String TABLE_POLICY = """
            kind: table-policy
            table: ending_visits
            output: {mode: threshold, k: 5}
            columns:
              - {name: person_id, type: bigint, role: privacy_unit, mask: pseudonym}
              - {name: district, type: string, role: dimension}
              - {name: age, type: integer, role: measure, bounds: [0, 120]}
            """;
    private static GrpcFixture fixture;
    private static SandboxClient admin;

    @BeforeAll
    static void start() {
        fixture = GrpcFixture.get();
        admin = fixture.client(Role.ADMIN);
        StringBuilder csv = new StringBuilder("person_id,district,age\n");
        for (int id = 1; id <= 60; id++) {
            csv.append(id).append(',').append(id % 3 == 0 ? "east" : "west").append(',').append(20 + id % 40).append('\n');
        }
        admin.applyPolicy(TABLE_POLICY);
        fixture.client(Role.PROVIDER).registerDataset("ending_visits", "", csv.toString().getBytes(StandardCharsets.UTF_8),
                Map.of());
    }

    @AfterEach
    void resetClock() {
        fixture.clock.reset();
    }

    private static Status.Code code(Throwable e) {
        return ((StatusRuntimeException) e).getStatus().getCode();
    }

    private static final Identity AUDITOR = new Identity("Chen Jing", Role.AUDITOR, "test");

    @Test
    void termination_revokesTheLeavingDeveloper_shredsEverySample_andLeavesAVerifiableCertificateAndLedger() throws Exception {
        Path dir = Files.createTempDirectory("leaving");
        fixture.caTool().issueClient("Qian Yu", "Wuhan Health Bureau", Role.DEVELOPER, dir.resolve("c.crt"),
                dir.resolve("c.key"));
        String leavingSerial = Pem.readCertificate(dir.resolve("c.crt")).getSerialNumber().toString(16);
        admin.applyPolicy("kind: scenario\nid: ending-study\npurpose: ending\ndevelopers: [\"Qian Yu\", \"Wang Fang\"]\n"
                + "grants: {ending_visits: [district, age]}\noutput: {mode: threshold, k: 5}\n");
        SandboxClient developer = fixture.client(Role.DEVELOPER);
        DeletionCertificateInfo ended;
        String releasedJob;
        try (SandboxClient leaving = new SandboxClient("localhost", fixture.server.port(), SandboxClient.credentials(
                fixture.sandbox.authority().layout().caCertificate(), dir.resolve("c.crt"), dir.resolve("c.key")))) {
            // samples and a dev run kept for the scenario
            SampleRequest masked = SampleRequest.newBuilder().setScenario("ending-study").setTable("ending_visits")
                    .setKind("masked").setFormat("csv").setMaxRows(20).build();
            assertThat(leaving.sample(masked).data()).isNotEmpty();
            assertThat(developer.devRun("ending-study", "SELECT district, COUNT(*) AS n FROM ending_visits GROUP BY district")
                    .table().rows()).isNotEmpty();
            // and a released result, kept at rest sealed under the scenario's results key
            String job = developer.submitJob("ending-study", "SELECT district, COUNT(*) AS n FROM ending_visits GROUP BY district")
                    .getJobId();
            assertThat(developer.watchJob(job, e -> { }).getState().name()).isEqualTo("RELEASED");
            assertThat(developer.fetchResult(job).table().rows()).isNotEmpty();
            releasedJob = job;

            assertThatThrownBy(() -> admin.terminateScenario("ending-study", ""))
                    .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.INVALID_ARGUMENT));
            ended = admin.terminateScenario("ending-study", "the project was cancelled");

            assertThat(ended.getRevokedCertificatesList()).containsExactly(leavingSerial); // Wang Fang has public-health
            assertThat(ended.getDestroyedKeysList()).anyMatch(k -> k.startsWith("sample_"))
                    .anyMatch(k -> k.startsWith("pseudonyms_"));
            assertThat(ended.getShreddedFilesList()).anyMatch(f -> f.endsWith(".parquet"))
                    .anyMatch(f -> f.endsWith(releasedJob + ".sealed"));
            assertThat(ended.getDestroyedKeysList()).anyMatch(k -> k.startsWith("results_"));
            // the released result is gone from memory too: the developer who still works cannot fetch it again
            assertThatThrownBy(() -> developer.fetchResult(releasedJob))
                    .satisfies(e -> assertThat(code(e)).isIn(Status.Code.NOT_FOUND, Status.Code.FAILED_PRECONDITION));
            // the leaving developer is out; the other keeps their other scenario but not this one
            assertThatThrownBy(leaving::listCatalog).satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.UNAUTHENTICATED));
            assertThat(developer.listCatalog().getTablesList()).noneMatch(t -> t.getName().equals("ending_visits"));
            assertThatThrownBy(() -> developer.submitJob("ending-study", "SELECT district, COUNT(*) AS n FROM ending_visits GROUP BY district"))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                        assertThat(ErrorDetails.of(e).getReason()).isEqualTo("SCENARIO_EXPIRED");
                    });
            assertThatThrownBy(() -> developer.sample(masked))
                    .satisfies(e -> assertThat(code(e)).isIn(Status.Code.FAILED_PRECONDITION, Status.Code.NOT_FOUND));
            assertThat(developer.listCatalog().getTablesList()).isNotEmpty();
        }

        // nothing of it opens: every sample folder tried, every key gone; the certificate and the ledger verify
        var check = fixture.sandbox.verifyDeletion(AUDITOR, "ending-study");
        assertThat(check.locationsTried()).isPositive();
        assertThat(check.keysPresent()).isEmpty();
        assertThat(check.filesReadable()).isEmpty();
        assertThat(check.destroyed()).isTrue();
        for (String file : ended.getShreddedFilesList()) {
            assertThat(fixture.dataDir.resolve(file)).exists(); // left as ciphertext, and proved unreadable above
        }
        assertThat(fixture.client(Role.AUDITOR).verifyLedger().getValid()).isTrue();
        Path certificate = fixture.dataDir.resolve(ended.getCertificateFile());
        assertThat(new CommandLine(new org.datasandbox.api.cli.SandboxCli()).execute("audit", "deletion", "--data-dir",
                fixture.dataDir.toString(), certificate.toString())).isZero();
        Path altered = Files.createTempFile("altered", ".json");
        Files.writeString(altered, Files.readString(certificate).replace("the project was cancelled", "nothing happened"));
        assertThat(new CommandLine(new org.datasandbox.api.cli.SandboxCli()).execute("audit", "deletion", "--data-dir",
                fixture.dataDir.toString(), altered.toString())).isEqualTo(1);
        assertThat(fixture.sandbox.ledger().entries()).filteredOn(e -> e.action().equals("authorization.ended")
                && e.subject().equals("ending-study")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("reason", "the project was cancelled")
                        .containsKey("certificateSha"));
        // ended once
        assertThatThrownBy(() -> admin.terminateScenario("ending-study", "again"))
                .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.FAILED_PRECONDITION));
    }

    @Test
    void termEnd_endsTheAuthorizationAtTheFirstCallAfterIt_withACertificateSignedByTheSandbox() throws Exception {
        var filed = fixture.client(Role.DEVELOPER).applyForScenario(ScenarioApplicationRequest.newBuilder()
                .setScenarioId("ending-term").setOrganization("Wuhan Health Bureau").setPurpose("a short study")
                .setPlannedOutputs("counts").addTables(ApplicationTable.newBuilder().setTable("ending_visits")
                        .addColumns("district")).setTermDays(10).build());
        admin.approveApplication(filed.getId(), "");
        SampleRequest masked = SampleRequest.newBuilder().setScenario("ending-term").setTable("ending_visits")
                .setKind("masked").setFormat("csv").setMaxRows(10).build();
        assertThat(fixture.client(Role.DEVELOPER).sample(masked).data()).isNotEmpty();

        fixture.clock.advance(Duration.ofDays(11));
        assertThat(fixture.client(Role.DEVELOPER).listCatalog()).isNotNull(); // any call: the sweep runs first

        assertThat(fixture.sandbox.deletionCertificate("ending-term")).exists();
        assertThat(fixture.sandbox.ledger().entries()).filteredOn(e -> e.action().equals("authorization.ended")
                && e.subject().equals("ending-term")).singleElement()
                .satisfies(e -> {
                    assertThat(e.actor()).isEqualTo("data-sandbox");
                    assertThat(e.details().get("reason")).startsWith("its term ended on ");
                });
        assertThat(fixture.sandbox.verifyDeletion(AUDITOR, "ending-term").destroyed()).isTrue();
        fixture.clock.reset();
        // an ended scenario stays ended, also when the clock is earlier than its end again
        assertThatThrownBy(() -> fixture.client(Role.DEVELOPER).sample(masked))
                .satisfies(e -> assertThat(code(e)).isIn(Status.Code.FAILED_PRECONDITION, Status.Code.NOT_FOUND));
    }
}
