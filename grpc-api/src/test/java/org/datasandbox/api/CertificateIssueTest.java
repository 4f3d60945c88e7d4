package org.datasandbox.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import org.datasandbox.api.client.SandboxClient;
import org.datasandbox.api.v1.ApplicationTable;
import org.datasandbox.api.v1.ScenarioApplicationInfo;
import org.datasandbox.api.v1.ScenarioApplicationRequest;
import org.datasandbox.core.crypto.Pem;
import org.datasandbox.core.identity.CertificateRequest;
import org.datasandbox.core.identity.Role;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Certificate issue over the real TLS server: the holder makes their key and PKCS#10 request, the admin files it
 * over the API, {@code sandbox certificate issue --request} signs it with the CA keystore (the server holds no CA
 * key), the admin collects it; the certificate connects with its role, and the server reads its name,
 * organization and role. A request for another role, person or organization than granted is refused; a revoked
 * certificate is refused.
 */
class CertificateIssueTest {
    private static GrpcFixture fixture;
    private static SandboxClient admin;

    @BeforeAll
    static void start() {
        fixture = GrpcFixture.get();
        admin = fixture.client(Role.ADMIN);
    }

    private static Status.Code code(Throwable e) {
        return ((StatusRuntimeException) e).getStatus().getCode();
    }

    private static int cli(String... args) {
        return new CommandLine(new org.datasandbox.api.cli.SandboxCli()).execute(args);
    }

    private static SandboxClient holder(Path certificate, Path key) throws Exception {
        return new SandboxClient("localhost", fixture.server.port(), SandboxClient.credentials(
                fixture.sandbox.authority().layout().caCertificate(), certificate, key));
    }

    @Test
    void filedRequest_signedOffline_connectsWithItsRoleNameAndOrganization_untilRevoked() throws Exception {
        assertThat(fixture.sandbox.authority().canSign()).as("the server holds no CA key").isFalse();
        CertificateRequest.KeyAndRequest made = CertificateRequest.create("Sun Mei", "Wuhan Health Bureau", Role.DEVELOPER);
        String id = admin.requestCertificate("Sun Mei", "Wuhan Health Bureau", "developer", made.csr());
        assertThatThrownBy(() -> admin.collectCertificate(id))
                .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.FAILED_PRECONDITION));

        assertThat(cli("certificate", "issue", "--data-dir", fixture.dataDir.toString(), "--request", id)).isZero();
        String pem = admin.collectCertificate(id);

        Path dir = Files.createTempDirectory("issued");
        Files.writeString(dir.resolve("client.crt"), pem);
        Pem.writePrivateKey(dir.resolve("client.key"), made.key().getPrivate());
        X509Certificate certificate = Pem.readCertificate(dir.resolve("client.crt"));
        assertThat(certificate.getPublicKey()).isEqualTo(made.key().getPublic());
        String serial = certificate.getSerialNumber().toString(16);
        try (SandboxClient holder = holder(dir.resolve("client.crt"), dir.resolve("client.key"))) {
            // a developer's call succeeds, an admin's is refused: the role is the one granted
            assertThat(holder.listCatalog()).isNotNull();
            assertThatThrownBy(() -> holder.applyPolicy("kind: scenario"))
                    .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.PERMISSION_DENIED));
            // the server reads the organization: an application without one is the certificate's organization's
            ScenarioApplicationInfo application = holder.applyForScenario(ScenarioApplicationRequest.newBuilder()
                    .setScenarioId("sun-mei-study").setPurpose("clinic planning").setPlannedOutputs("counts")
                    .addTables(ApplicationTable.newBuilder().setTable("visitors").addColumns("district"))
                    .setTermDays(30).build());
            assertThat(application.getApplicant()).isEqualTo("Sun Mei");
            assertThat(application.getRequested().getOrganization()).isEqualTo("Wuhan Health Bureau");

            // listed in the ledger as issued, with name, organization and role
            assertThat(fixture.sandbox.ledger().entries()).filteredOn(e -> e.action().equals("certificate.issued")
                            && e.subject().equals(serial)).singleElement()
                    .satisfies(e -> assertThat(e.details()).containsEntry("name", "Sun Mei")
                            .containsEntry("organization", "Wuhan Health Bureau").containsEntry("role", "developer"));
            assertThat(fixture.sandbox.ledger().entries()).anyMatch(e -> e.action().equals("certificate.requested")
                    && e.subject().equals(id) && e.details().get("role").equals("developer"));

            assertThat(fixture.caTool().revoke(new org.datasandbox.core.identity.CertificateSerial(
                    certificate.getSerialNumber()))).isTrue();
            assertThatThrownBy(holder::listCatalog)
                    .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.UNAUTHENTICATED));
        }
        // a request is signed once
        assertThat(cli("certificate", "issue", "--data-dir", fixture.dataDir.toString(), "--request", id)).isEqualTo(1);
    }

    @Test
    void request_forAnotherRolePersonOrOrganizationThanGranted_isRefused() {
        byte[] forAdmin = CertificateRequest.create("Sun Mei", "Wuhan Health Bureau", Role.ADMIN).csr();
        byte[] forDeveloper = CertificateRequest.create("Sun Mei", "Wuhan Health Bureau", Role.DEVELOPER).csr();
        byte[] tampered = forDeveloper.clone();
        tampered[tampered.length - 5] ^= 1; // the signature no longer matches
        for (Runnable refused : java.util.List.<Runnable>of(
                () -> admin.requestCertificate("Sun Mei", "Wuhan Health Bureau", "developer", forAdmin),
                () -> admin.requestCertificate("Zhou Jie", "Wuhan Health Bureau", "developer", forDeveloper),
                () -> admin.requestCertificate("Sun Mei", "Hubei Data Group", "developer", forDeveloper),
                () -> admin.requestCertificate("Sun Mei", "Wuhan Health Bureau", "superuser", forDeveloper),
                () -> admin.requestCertificate("Sun Mei", "Wuhan Health Bureau", "developer", tampered),
                () -> admin.requestCertificate("Sun Mei", "Wuhan Health Bureau", "developer", new byte[] {1, 2, 3}))) {
            assertThatThrownBy(refused::run).satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.INVALID_ARGUMENT));
        }
        assertThatThrownBy(() -> admin.collectCertificate("csr-000000000000"))
                .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    void issueCommand_withRoleNameAndOrganization_makesACertificateThatConnectsWithThatRole() throws Exception {
        Path out = Files.createTempDirectory("issue-direct");
        assertThat(cli("certificate", "issue", "--data-dir", fixture.dataDir.toString(), "--role", "auditor",
                "--name", "Gao Min", "--org", "Hubei Audit Office", "--out", out.toString())).isZero();
        try (SandboxClient auditor = holder(out.resolve("client.crt"), out.resolve("client.key"))) {
            assertThat(auditor.verifyLedger().getValid()).isTrue();
            assertThatThrownBy(() -> auditor.submitJob(GrpcFixture.SCENARIO, "SELECT 1"))
                    .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.PERMISSION_DENIED));
        }
        String serial = Pem.readCertificate(out.resolve("client.crt")).getSerialNumber().toString(16);
        assertThat(fixture.sandbox.ledger().entries()).anyMatch(e -> e.action().equals("certificate.issued")
                && e.subject().equals(serial) && "Hubei Audit Office".equals(e.details().get("organization")));
        // giving both ways, or neither, is a usage error
        assertThat(cli("certificate", "issue", "--data-dir", fixture.dataDir.toString())).isEqualTo(2);
    }
}
