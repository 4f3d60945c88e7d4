package org.datasandbox.core.custody;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.datasandbox.core.config.KeySettings;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.identity.CaKeyStore;
import org.datasandbox.core.identity.CertificateAuthority;
import org.datasandbox.core.identity.Identity;
import org.datasandbox.core.identity.PkiLayout;
import org.datasandbox.core.identity.ServerCredentials;
import org.datasandbox.core.ledger.EvidenceLedger;
import org.datasandbox.core.ledger.LedgerKeySource;

/**
 * The keys a starting sandbox gets from its custody: the working keys, a CA that verifies but holds no
 * key (the CA key is used on first start only, to make the CA and the server certificate, then stays in
 * its own keystore), and what happened to them, for the ledger once it is open.
 */
public final class SandboxKeys {
    private final KeyCustody custody;
    private final CertificateAuthority authority;
    private final ServerCredentials server;
    private final boolean initialisedBefore;
    private final List<String> migrated;
    private final List<KeyEvent> caEvents;

    private SandboxKeys(KeyCustody custody, CertificateAuthority authority, ServerCredentials server,
                        boolean initialisedBefore, List<String> migrated, List<KeyEvent> caEvents) {
        this.custody = custody;
        this.authority = authority;
        this.server = server;
        this.initialisedBefore = initialisedBefore;
        this.migrated = migrated;
        this.caEvents = caEvents;
    }

    /** Opens the custody of a data directory, moving cleartext keys of an older layout into it once. */
    public static SandboxKeys open(Path dataDir, KeySettings settings, CryptoProfile crypto) throws IOException {
        KeyFile keyFile = new KeyFile(settings.keyFile());
        keyFile.requireOutside(dataDir);
        SealedCaKeyStore caKeys = new SealedCaKeyStore(settings.caKeystore(), keyFile).requireOutside(dataDir);
        KeyCustody custody = settings.pkcs11() == null ? SealedKeyStore.open(dataDir, keyFile)
                : Pkcs11Custody.open(settings.pkcs11(), dataDir, keyFile);
        List<String> migrated = LegacyKeys.present(dataDir).isEmpty() ? List.of()
                : LegacyKeys.migrate(dataDir, custody, caKeys, crypto);
        PkiLayout layout = PkiLayout.under(dataDir);
        // a CA from an earlier start means the ledger recorded that start: an empty ledger is then a deletion
        boolean initialisedBefore = Files.exists(layout.caCertificate());
        List<KeyEvent> caEvents = new ArrayList<>();
        Optional<ServerCredentials> server = custody.serverCredentials();
        if (server.isEmpty()) {
            CertificateAuthority signing = CertificateAuthority.openOrCreate(layout, caKeys);
            if (!initialisedBefore) {
                caEvents.add(new KeyEvent("key.created", "ca", "ca-keystore"));
            }
            if (!signing.canSign()) {
                throw new KeyCustodyException("the key custody holds no TLS server key and the CA keystore "
                        + caKeys.where() + " is not there to issue one: restore the keystore or give --ca-keystore");
            }
            ServerCredentials issued = signing.issueServer();
            custody.storeServerCredentials(issued);
            server = Optional.of(issued);
        }
        CertificateAuthority verifying = CertificateAuthority.openOrCreate(layout, CaKeyStore.none());
        return new SandboxKeys(custody, verifying, server.get(), initialisedBefore, migrated, caEvents);
    }

    public KeyCustody custody() {
        return custody;
    }

    /** The sandbox's CA without its key: verifies client certificates and revocation lists. */
    public CertificateAuthority authority() {
        return authority;
    }

    public ServerCredentials server() {
        return server;
    }

    public boolean initialisedBefore() {
        return initialisedBefore;
    }

    /** The ledger's signing key, from custody. */
    public LedgerKeySource ledgerKeys() {
        return new LedgerKeySource() {
            @Override
            public boolean exists() throws IOException {
                return custody.hasLedgerKey();
            }

            @Override
            public KeyPair loadOrCreate(CryptoProfile crypto) throws IOException {
                return custody.ledgerKey(crypto);
            }
        };
    }

    /** Records the migration and every key event so far; names and custody only, never key material. */
    public void record(EvidenceLedger ledger) {
        if (!migrated.isEmpty()) {
            ledger.append(Identity.system(), "keys.migrated", "keys", Map.of("files", String.join(",", migrated),
                    "custody", custody.kind()));
        }
        List<KeyEvent> events = new ArrayList<>(caEvents);
        caEvents.clear();
        events.addAll(custody.drainEvents());
        for (KeyEvent event : events) {
            ledger.append(Identity.system(), event.action(), event.key(), event.details());
        }
    }
}
