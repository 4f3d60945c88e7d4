package org.datasandbox.core.ledger;

import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.datasandbox.core.identity.CertificateAuthority;
import org.datasandbox.core.identity.CertificateSerial;
import org.datasandbox.core.identity.Identity;

/**
 * Keeps the ledger and the CA's signed revocation list in step: every serial on the list gets one
 * {@code certificate.revoked} entry (the list may be written by another process, so the server records
 * what it finds), and a serial the ledger recorded but the list lost is revoked again: a revocation
 * cannot be undone by editing a file.
 */
public final class RevocationRecorder {
    static final String ACTION = "certificate.revoked";

    private final EvidenceLedger ledger;
    private final CertificateAuthority authority;
    private final Set<CertificateSerial> recorded = new HashSet<>();

    private RevocationRecorder(EvidenceLedger ledger, CertificateAuthority authority) {
        this.ledger = ledger;
        this.authority = authority;
    }

    /** Reconciles the list with the ledger now, and records later lists as the CA loads them. */
    public static RevocationRecorder start(EvidenceLedger ledger, CertificateAuthority authority) throws IOException {
        RevocationRecorder recorder = new RevocationRecorder(ledger, authority);
        for (LedgerEntry entry : ledger.entries()) {
            if (entry.action().equals(ACTION)) {
                recorder.recorded.add(CertificateSerial.parse(entry.subject()));
            }
        }
        Set<CertificateSerial> listed = authority.revokedSerials();
        for (CertificateSerial lost : recorder.recorded) {
            if (!listed.contains(lost)) {
                if (!authority.canSign()) {
                    // the server holds no CA key: deny the certificate anyway until a CA tool re-signs the list
                    authority.holdRevoked(lost);
                    ledger.append(Identity.system(), "certificate.revocation.held", lost.hex(), Map.of("reason",
                            "the ledger records this revocation but the revocation list did not hold it; "
                                    + "refused until `sandbox certificate revoke` signs it in again"));
                    continue;
                }
                authority.revoke(lost);
                ledger.append(Identity.system(), "certificate.revocation.restored", lost.hex(),
                        Map.of("reason", "the ledger records this revocation but the revocation list did not hold it"));
            }
        }
        recorder.record(authority.revokedSerials());
        authority.onRevocationList(recorder::record);
        return recorder;
    }

    private synchronized void record(Set<CertificateSerial> listed) {
        listed.stream().filter(serial -> !recorded.contains(serial)).sorted(
                java.util.Comparator.comparing(CertificateSerial::value)).forEach(serial -> {
                    ledger.append(Identity.system(), ACTION, serial.hex(), Map.of("list", "pki/revoked.crl"));
                    recorded.add(serial);
                });
    }
}
