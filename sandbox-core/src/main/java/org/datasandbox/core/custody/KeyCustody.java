package org.datasandbox.core.custody;

import java.io.IOException;
import java.security.KeyPair;
import java.util.List;
import java.util.Optional;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.identity.ServerCredentials;

/**
 * Where the working keys of one sandbox live: the master key, the ledger's signing key and the TLS
 * server key. Keys are created on first use and loaded afterwards; each creation and load is kept as a
 * {@link KeyEvent} until the ledger can record it.
 */
public interface KeyCustody {

    /** {@code sealed-keystore} or {@code pkcs11}: the name ledger entries carry. */
    String kind();

    /** The master key, created on first use. */
    MasterKey masterKey(CryptoProfile crypto) throws IOException;

    /**
     * Replaces the master key: {@code reseal} re-seals the data keys under the new key, then custody commits
     * it in one atomic step and records {@code key.rotated}. Returns the new key.
     */
    MasterKey rotateMasterKey(CryptoProfile crypto, Rotation reseal) throws IOException;

    /** Re-seals what the current master key sealed under the next one, before custody commits it. */
    @FunctionalInterface
    interface Rotation {
        void reseal(MasterKey current, MasterKey next) throws IOException;
    }

    /** Whether a ledger key exists (a ledger that recorded entries before needs it). */
    boolean hasLedgerKey() throws IOException;

    /** The ledger's signing key, created on first use. */
    KeyPair ledgerKey(CryptoProfile crypto) throws IOException;

    Optional<ServerCredentials> serverCredentials() throws IOException;

    void storeServerCredentials(ServerCredentials credentials) throws IOException;

    /** Takes a master key of the layout before custody (raw bytes) into custody; the caller deletes the file. */
    void importMasterKey(CryptoProfile crypto, byte[] key) throws IOException;

    /** Takes a ledger key of the layout before custody into custody. */
    void importLedgerKey(CryptoProfile crypto, KeyPair pair) throws IOException;

    /** The events since the last call, oldest first. */
    List<KeyEvent> drainEvents();
}
