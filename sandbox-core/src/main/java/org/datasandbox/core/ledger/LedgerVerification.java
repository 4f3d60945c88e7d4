package org.datasandbox.core.ledger;

import org.datasandbox.core.crypto.CryptoProfile;

/**
 * The outcome of verifying a ledger.
 *
 * @param entries how many entries verified before the first problem (all of them when valid)
 * @param headHash the hash of the last verified entry
 * @param keyFingerprint hash of the ledger public key, for auditors to compare with the published one
 * @param problem what is wrong, empty when valid
 */
public record LedgerVerification(boolean valid, long entries, String headHash, String keyFingerprint,
                                 CryptoProfile.Kind profile, String problem) {
}
