package org.datasandbox.core.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.datasandbox.core.crypto.Pem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {
    @TempDir
    Path dir;

    @Test
    void openOrCreate_firstStart_issuesServerAndRoleCertificates() throws Exception {
        CertificateAuthority ca = CertificateAuthority.openOrCreate(PkiLayout.under(dir));
        PkiLayout pki = ca.layout();
        for (Role role : Role.values()) {
            var identity = ca.identityOf(Pem.readCertificate(pki.clientCertificate(role))).orElseThrow();
            assertThat(identity.role()).isEqualTo(role);
            assertThat(identity.name()).isEqualTo(CertificateAuthority.DEMO_HOLDERS.get(role));
            assertThat(Files.getPosixFilePermissions(pki.clientKey(role)))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        }
        assertThat(Pem.readCertificate(pki.serverCertificate()).getSubjectAlternativeNames()).isNotEmpty();
        // a second start loads the same CA
        assertThat(CertificateAuthority.openOrCreate(pki).caCertificate()).isEqualTo(ca.caCertificate());
    }

    @Test
    void identityOf_certificateOfAnotherCa_isEmpty() throws Exception {
        CertificateAuthority ours = CertificateAuthority.openOrCreate(PkiLayout.under(dir.resolve("a")));
        CertificateAuthority theirs = CertificateAuthority.openOrCreate(PkiLayout.under(dir.resolve("b")));
        var foreign = Pem.readCertificate(theirs.layout().clientCertificate(Role.ADMIN));
        assertThat(ours.identityOf(foreign)).isEmpty();
        assertThat(ours.identityOf(Pem.readCertificate(ours.layout().serverCertificate()))).isEmpty(); // no role
    }

    @Test
    void identityOf_revokedCertificate_isEmptyAndAnUnreadableListDeniesEveryone() throws Exception {
        CertificateAuthority ca = CertificateAuthority.openOrCreate(PkiLayout.under(dir));
        var developer = Pem.readCertificate(ca.layout().clientCertificate(Role.DEVELOPER));
        var admin = Pem.readCertificate(ca.layout().clientCertificate(Role.ADMIN));
        ca.revoke(developer.getSerialNumber().toString(16).toUpperCase());
        assertThat(ca.identityOf(developer)).isEmpty();
        assertThat(ca.identityOf(admin)).isPresent();
        // the list survives a restart
        assertThat(CertificateAuthority.openOrCreate(ca.layout()).identityOf(developer)).isEmpty();
        Files.delete(ca.layout().revoked());
        Files.createDirectory(ca.layout().revoked());
        assertThat(ca.identityOf(admin)).isEmpty();
    }
}
