package org.datasandbox.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.crypto.Pem;
import org.datasandbox.core.identity.CertificateAuthority;
import org.datasandbox.core.identity.CertificateSerial;
import org.datasandbox.core.identity.PkiLayout;
import org.datasandbox.core.identity.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rule: every revocation on the CA's list is in the ledger exactly once, and the ledger's revocations stay. */
class RevocationRecorderTest {
    @TempDir
    Path dir;

    private EvidenceLedger ledger() throws IOException {
        return EvidenceLedger.open(dir.resolve("ledger"), CryptoProfile.of(CryptoProfile.Kind.SM));
    }

    private long revocationsOf(EvidenceLedger ledger, String serial) throws IOException {
        return ledger.entries().stream()
                .filter(e -> e.action().equals(RevocationRecorder.ACTION) && e.subject().equals(serial)).count();
    }

    @Test
    void revocationByAnotherProcess_isRecordedOnceWhenTheServerNextLoadsTheList() throws Exception {
        CertificateAuthority server = CertificateAuthority.openOrCreate(PkiLayout.under(dir));
        EvidenceLedger ledger = ledger();
        RevocationRecorder.start(ledger, server);
        X509Certificate developer = Pem.readCertificate(server.layout().clientCertificate(Role.DEVELOPER));
        X509Certificate admin = Pem.readCertificate(server.layout().clientCertificate(Role.ADMIN));
        String serial = developer.getSerialNumber().toString(16);

        CertificateAuthority.openOrCreate(PkiLayout.under(dir)).revoke(CertificateSerial.parse("00" + serial.toUpperCase()));
        assertThat(server.identityOf(admin)).isPresent(); // any call loads the new list
        assertThat(server.identityOf(developer)).isEmpty();
        assertThat(revocationsOf(ledger, serial)).isEqualTo(1);

        EvidenceLedger reopened = ledger(); // a restart records nothing twice
        RevocationRecorder.start(reopened, CertificateAuthority.openOrCreate(PkiLayout.under(dir)));
        assertThat(revocationsOf(reopened, serial)).isEqualTo(1);
        assertThat(LedgerVerifier.verify(dir.resolve("ledger")).valid()).isTrue();
    }

    @Test
    void revocationListRolledBack_isRevokedAgainFromTheLedger() throws Exception {
        CertificateAuthority ca = CertificateAuthority.openOrCreate(PkiLayout.under(dir));
        EvidenceLedger ledger = ledger();
        RevocationRecorder.start(ledger, ca);
        X509Certificate developer = Pem.readCertificate(ca.layout().clientCertificate(Role.DEVELOPER));
        ca.revoke(new CertificateSerial(java.math.BigInteger.TEN));
        Path older = dir.resolve("older.crl");
        Files.copy(ca.layout().revoked(), older);
        ca.revoke(new CertificateSerial(developer.getSerialNumber()));
        ca.identityOf(developer);
        Files.copy(older, ca.layout().revoked(), StandardCopyOption.REPLACE_EXISTING); // a validly signed older list

        CertificateAuthority restarted = CertificateAuthority.openOrCreate(PkiLayout.under(dir));
        EvidenceLedger reopened = ledger();
        RevocationRecorder.start(reopened, restarted);
        assertThat(restarted.identityOf(developer)).isEmpty();
        assertThat(reopened.entries()).anyMatch(e -> e.action().equals("certificate.revocation.restored")
                && e.subject().equals(developer.getSerialNumber().toString(16)));
    }
}
