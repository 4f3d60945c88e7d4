package org.datasandbox.core.authorization;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Objects;

/**
 * What the end of one scenario's authorization destroyed, names and ids only: the scenario, why and by whom it
 * ended and when, the ledger's length at that moment ({@code ledgerEntries}: the entries before the
 * {@code authorization.ended} entry that records this certificate's hash), the certificates revoked (serials),
 * the data keys destroyed, and the files left as ciphertext under them (paths relative to the data directory).
 */
@JsonPropertyOrder(alphabetic = true)
public record DeletionCertificate(String scenario, String reason, String endedBy, String endedAt, long ledgerEntries,
                                  List<String> revokedCertificates, List<String> destroyedKeys,
                                  List<String> shreddedFiles, String profile) {
    public DeletionCertificate {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(endedBy, "endedBy");
        Objects.requireNonNull(endedAt, "endedAt");
        revokedCertificates = List.copyOf(revokedCertificates);
        destroyedKeys = List.copyOf(destroyedKeys);
        shreddedFiles = List.copyOf(shreddedFiles);
        Objects.requireNonNull(profile, "profile");
    }
}
