package org.datasandbox.core.ledger;

import org.datasandbox.core.crypto.CryptoProfile;

/**
 * The outcome of verifying a ledger.
 *
 * @param entries how many entries verified before the first problem (all of them when valid)
 * @param headHash the hash of the last verified entry
 * @param keyFingerprint hash of the ledger public key, for auditors to compare with the published one
 * @param problem what is wrong, empty when valid
 * @param unsignedEntries entries after the signed head: chained, forced to disk, but not yet covered by a
 *     signature (a batched ledger's tail between two checkpoints); removing them leaves no trace but the
 *     gap in time, so an auditor asks the sandbox to checkpoint before a verification that must prove them
 */
public record LedgerVerification(boolean valid, long entries, String headHash, String keyFingerprint,
                                 CryptoProfile.Kind profile, String problem, long unsignedEntries) {

    public LedgerVerification {
        if (unsignedEntries < 0 || unsignedEntries > entries) {
            throw new IllegalArgumentException("unsigned entries are between 0 and the entries verified");
        }
    }

    /** A verification with every verified entry covered by a signature. */
    public LedgerVerification(boolean valid, long entries, String headHash, String keyFingerprint,
                              CryptoProfile.Kind profile, String problem) {
        this(valid, entries, headHash, keyFingerprint, profile, problem, 0);
    }
}
