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
