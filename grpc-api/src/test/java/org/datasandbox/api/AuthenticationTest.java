package org.datasandbox.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.datasandbox.api.client.SandboxClient;
import org.datasandbox.core.identity.CertificateAuthority;
import org.datasandbox.core.identity.PkiLayout;
import org.datasandbox.core.identity.Role;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every call needs a certificate of this sandbox's CA, and a role that may make it. */
class AuthenticationTest {
    private static GrpcFixture fixture;

    @BeforeAll
    static void start() {
        fixture = GrpcFixture.get();
    }

    private static void assertCode(ThrowingCallable call, Status.Code code, String messagePart) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(code);
            if (messagePart != null) {
                assertThat(e.getStatus().getDescription()).contains(messagePart);
            }
            if (code != Status.Code.UNAVAILABLE) { // UNAVAILABLE here is the client's own: no handshake, no server
                var info = ErrorDetails.of(e);
                assertThat(info.getDomain()).isEqualTo("datasandbox.org");
                if (code == Status.Code.UNAUTHENTICATED || code == Status.Code.PERMISSION_DENIED) {
                    assertThat(info.getReason()).isEqualTo(code.name());
                    assertThat(info.getMetadataMap()).containsEntry("code", code.name()).containsKey("method");
                }
            }
        });
    }

    @Test
    void call_withoutClientCertificate_isUnauthenticated() throws Exception {
        var credentials = TlsChannelCredentials.newBuilder()
                .trustManager(fixture.sandbox.authority().layout().caCertificate().toFile()).build();
        try (SandboxClient anonymous = new SandboxClient("localhost", fixture.server.port(), credentials)) {
            assertCode(anonymous::listCatalog, Status.Code.UNAUTHENTICATED, "client certificate");
            assertCode(() -> anonymous.registerDataset("anon", "", "id\n1\n".getBytes(StandardCharsets.UTF_8), Map.of()),
                    Status.Code.UNAUTHENTICATED, null);
        }
        assertThat(Files.readString(fixture.dataDir.resolve("ledger/ledger.jsonl"))).contains("\"actor\":\"unauthenticated\"");
    }

    @Test
    void call_withCertificateOfAnotherCa_isRefusedAtTheHandshake() throws Exception {
        Path foreign = Files.createTempDirectory("foreign-ca");
        PkiLayout other = CertificateAuthority.openOrCreate(PkiLayout.under(foreign)).layout();
        var credentials = SandboxClient.credentials(fixture.sandbox.authority().layout().caCertificate(),
                other.clientCertificate(Role.ADMIN), other.clientKey(Role.ADMIN));
        try (SandboxClient impostor = new SandboxClient("localhost", fixture.server.port(), credentials)) {
            assertCode(impostor::listCatalog, Status.Code.UNAVAILABLE, null);
        }
    }

    @Test
    void call_toServerOfAnotherCa_isRefusedByTheClient() throws Exception {
        Path foreign = Files.createTempDirectory("foreign-ca-2");
        PkiLayout other = CertificateAuthority.openOrCreate(PkiLayout.under(foreign)).layout();
        PkiLayout ours = fixture.sandbox.authority().layout();
        var credentials = SandboxClient.credentials(other.caCertificate(), ours.clientCertificate(Role.ADMIN),
                ours.clientKey(Role.ADMIN));
        try (SandboxClient misdirected = new SandboxClient("localhost", fixture.server.port(), credentials)) {
            assertCode(misdirected::listCatalog, Status.Code.UNAVAILABLE, null);
        }
    }

    @Test
    void call_byRoleThatMayNot_isPermissionDenied() {
        assertCode(() -> fixture.client(Role.DEVELOPER).registerDataset("sneaky", "", "id\n1\n".getBytes(StandardCharsets.UTF_8), Map.of()),
                Status.Code.PERMISSION_DENIED, "Access denied: the role developer may not call RegisterDataset");
        assertCode(() -> fixture.client(Role.PROVIDER).submitJob(GrpcFixture.SCENARIO, "SELECT COUNT(*) FROM arrests"),
                Status.Code.PERMISSION_DENIED, "may not call SubmitJob");
        assertCode(() -> fixture.client(Role.DEVELOPER).verifyLedger(), Status.Code.PERMISSION_DENIED, "VerifyLedger");
        assertCode(() -> fixture.client(Role.REVIEWER).maskedSample("residents", 5), Status.Code.PERMISSION_DENIED, null);
        assertCode(() -> fixture.client(Role.AUDITOR).applyPolicy("kind: scenario"), Status.Code.PERMISSION_DENIED, null);
        assertThat(fixture.client(Role.ADMIN).listCatalog().getTablesList()).noneMatch(t -> t.getName().equals("sneaky"));
    }

    @Test
    void developerOutsideTheScenario_seesNothing() throws Exception {
        Path dir = Files.createTempDirectory("outsider");
        fixture.caTool().issueClient("Mallory Outsider", Role.DEVELOPER, dir.resolve("c.crt"), dir.resolve("c.key"));
        var credentials = SandboxClient.credentials(fixture.sandbox.authority().layout().caCertificate(),
                dir.resolve("c.crt"), dir.resolve("c.key"));
        try (SandboxClient outsider = new SandboxClient("localhost", fixture.server.port(), credentials)) {
            assertThat(outsider.listCatalog().getTablesList()).isEmpty();
            assertCode(() -> outsider.submitJob(GrpcFixture.SCENARIO, "SELECT COUNT(*) FROM arrests"),
                    Status.Code.NOT_FOUND, "scenario");
            assertCode(() -> outsider.maskedSample("residents", 5), Status.Code.NOT_FOUND, null);
        }
    }

    @Test
    void revokedCertificate_isUnauthenticatedFromTheNextCallOn() throws Exception {
        Path dir = Files.createTempDirectory("revoked");
        fixture.caTool().issueClient("Zhao Lei", Role.DEVELOPER, dir.resolve("c.crt"), dir.resolve("c.key"));
        var credentials = SandboxClient.credentials(fixture.sandbox.authority().layout().caCertificate(),
                dir.resolve("c.crt"), dir.resolve("c.key"));
        // as `openssl x509 -text` prints it: the DER bytes (a leading 00 when the top bit is set), colons, upper case
        String serial = java.util.HexFormat.ofDelimiter(":").withUpperCase().formatHex(
                prefixedWithZero(org.datasandbox.core.crypto.Pem.readCertificate(dir.resolve("c.crt")).getSerialNumber()));
        try (SandboxClient holder = new SandboxClient("localhost", fixture.server.port(), credentials)) {
            assertThat(holder.listCatalog()).isNotNull();
            int code = new picocli.CommandLine(new org.datasandbox.api.cli.SandboxCli())
                    .execute("certificate", "revoke", "--data-dir", fixture.dataDir.toString(), serial);
            assertThat(code).isZero();
            assertCode(holder::listCatalog, Status.Code.UNAUTHENTICATED, null);
        }
        String recorded = org.datasandbox.core.crypto.Pem.readCertificate(dir.resolve("c.crt")).getSerialNumber().toString(16);
        assertThat(fixture.sandbox.ledger().entries()).filteredOn(e -> e.action().equals("certificate.revoked"))
                .extracting(e -> e.subject()).containsOnlyOnce(recorded);
        assertThat(new picocli.CommandLine(new org.datasandbox.api.cli.SandboxCli())
                .execute("certificate", "revoke", "--data-dir", fixture.dataDir.toString(), "not-hex")).isEqualTo(2);
    }

    private static byte[] prefixedWithZero(java.math.BigInteger serial) {
        byte[] der = serial.toByteArray();
        if (der[0] == 0) {
            return der;
        }
        byte[] prefixed = new byte[der.length + 1]; // a zero byte too: "Revoked" must not depend on the top bit
        System.arraycopy(der, 0, prefixed, 1, der.length);
        return prefixed;
    }
}
