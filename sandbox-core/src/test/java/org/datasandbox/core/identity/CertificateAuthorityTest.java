package org.datasandbox.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.datasandbox.core.crypto.Pem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
        ca.revoke(CertificateSerial.parse(developer.getSerialNumber().toString(16).toUpperCase()));
        assertThat(ca.identityOf(developer)).isEmpty();
        assertThat(ca.identityOf(admin)).isPresent();
        // the list survives a restart
        assertThat(CertificateAuthority.openOrCreate(ca.layout()).identityOf(developer)).isEmpty();
        Files.delete(ca.layout().revoked());
        Files.createDirectory(ca.layout().revoked());
        assertThat(ca.identityOf(admin)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"openssl-x509-serial", "openssl-text", "lower-with-zero"})
    void revoke_serialWrittenAsOpensslPrintsIt_revokesThatCertificate(String form) throws Exception {
        CertificateAuthority ca = CertificateAuthority.openOrCreate(PkiLayout.under(dir));
        var developer = Pem.readCertificate(ca.layout().clientCertificate(Role.DEVELOPER));
        var admin = Pem.readCertificate(ca.layout().clientCertificate(Role.ADMIN));
        // openssl prints the DER bytes: a leading 00 when the top bit is set, upper case, colons in -text
        String hex = java.util.HexFormat.of().formatHex(developer.getSerialNumber().toByteArray());
        String written = switch (form) {
            case "openssl-x509-serial" -> "00" + hex.toUpperCase();
            case "openssl-text" -> ("00" + hex).replaceAll("(..)(?!$)", "$1:");
            default -> "0" + hex;
        };
        assertThat(ca.revoke(CertificateSerial.parse(written))).isTrue();
        assertThat(ca.identityOf(developer)).isEmpty();
        assertThat(ca.identityOf(admin)).isPresent();
        assertThat(ca.revoke(CertificateSerial.parse(developer.getSerialNumber().toString(16)))).isFalse(); // already
        assertThat(ca.revokedSerials()).containsExactly(new CertificateSerial(developer.getSerialNumber()));
        ca.revoke(new CertificateSerial(admin.getSerialNumber()));
        CertificateAuthority restarted = CertificateAuthority.openOrCreate(ca.layout());
        assertThat(restarted.identityOf(developer)).isEmpty();
        assertThat(restarted.identityOf(admin)).isEmpty();
        assertThat(restarted.revokedSerials()).hasSize(2);
        assertThat(Files.readString(ca.layout().revoked())).startsWith("-----BEGIN X509 CRL-----");
    }

    @Test
    void openOrCreate_unsignedListOfAnEarlierVersion_isFoldedIntoTheSignedOne() throws Exception {
        CertificateAuthority ca = CertificateAuthority.openOrCreate(PkiLayout.under(dir));
        var developer = Pem.readCertificate(ca.layout().clientCertificate(Role.DEVELOPER));
        Files.writeString(ca.layout().dir().resolve("revoked"), developer.getSerialNumber().toString(16) + "\n");
        CertificateAuthority upgraded = CertificateAuthority.openOrCreate(ca.layout());
        assertThat(upgraded.identityOf(developer)).isEmpty();
        assertThat(Files.exists(ca.layout().dir().resolve("revoked"))).isFalse();
        assertThat(upgraded.revokedSerials()).containsExactly(new CertificateSerial(developer.getSerialNumber()));
    }

    @Test
    void identityOf_revocationListNotSignedByTheCa_deniesEveryone() throws Exception {
        CertificateAuthority ca = CertificateAuthority.openOrCreate(PkiLayout.under(dir.resolve("ours")));
        CertificateAuthority other = CertificateAuthority.openOrCreate(PkiLayout.under(dir.resolve("other")));
        var developer = Pem.readCertificate(ca.layout().clientCertificate(Role.DEVELOPER));
        ca.revoke(new CertificateSerial(developer.getSerialNumber()));
        other.revoke(new CertificateSerial(java.math.BigInteger.ONE)); // a list that omits the developer
        Files.copy(other.layout().revoked(), ca.layout().revoked(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        var admin = Pem.readCertificate(ca.layout().clientCertificate(Role.ADMIN));
        assertThat(ca.identityOf(developer)).isEmpty();
        assertThat(ca.identityOf(admin)).isEmpty();
        assertThatThrownBy(() -> ca.revoke(new CertificateSerial(java.math.BigInteger.TWO)))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("revocation list");
    }

    @Test
    void parse_serialForms_normaliseToOneNumber() {
        CertificateSerial serial = new CertificateSerial(new java.math.BigInteger("ab01", 16));
        for (String form : new String[] {"ab01", "AB01", "00ab01", "00:AB:01", "ab:01", " ab01 "}) {
            assertThat(CertificateSerial.parse(form)).as(form).isEqualTo(serial);
        }
        assertThat(serial.hex()).isEqualTo("ab01");
        for (String bad : new String[] {"", ":", "xyz", "ab::01", ":ab", "ab:", "-1", "0x12", "1".repeat(65)}) {
            assertThatThrownBy(() -> CertificateSerial.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> new CertificateSerial(java.math.BigInteger.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
