package org.datasandbox.core.custody;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.crypto.spec.SecretKeySpec;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.identity.ServerCredentials;

/**
 * The embedded default custody: a BCFKS keystore in the data directory ({@code keys/sandbox.bcfks}) sealed
 * by the passphrase of a {@link KeyFile} kept outside it. Holds the master key, the ledger key and the TLS
 * server key. Without the key file the keystore is noise: the directory alone opens no table.
 */
public final class SealedKeyStore implements KeyCustody {
    public static final String KIND = "sealed-keystore";
    static final String MASTER = "master";
    static final String LEDGER = "ledger";
    static final String SERVER = "server";

    private final Path file;
    private final char[] passphrase;
    private final KeyStore store;
    private final List<KeyEvent> events = new ArrayList<>();

    private SealedKeyStore(Path file, char[] passphrase, KeyStore store) {
        this.file = file;
        this.passphrase = passphrase;
        this.store = store;
    }

    /** The keystore file of a data directory. */
    public static Path fileIn(Path dataDir) {
        return dataDir.resolve("keys").resolve("sandbox.bcfks");
    }

    /**
     * Opens the keystore of a data directory. A first start creates it (and the key file, if missing); a
     * later one needs the same key file, and says so when it is missing or another.
     */
    public static SealedKeyStore open(Path dataDir, KeyFile keyFile) throws IOException {
        keyFile.requireOutside(dataDir);
        Path file = fileIn(dataDir);
        if (Files.exists(file)) {
            if (!keyFile.exists()) {
                throw new KeyCustodyException("the keystore " + file + " is sealed by a key file, and there is none at "
                        + keyFile.path() + ": give the key file this data directory was started with (--key-file or "
                        + KeyFile.ENVIRONMENT + ")");
            }
            char[] passphrase = keyFile.read();
            return new SealedKeyStore(file, passphrase, Bcfks.load(file, passphrase, keyFile.path().toString()));
        }
        char[] passphrase = keyFile.readOrCreate();
        SealedKeyStore created = new SealedKeyStore(file, passphrase, Bcfks.empty());
        created.save();
        return created;
    }

    @Override
    public String kind() {
        return KIND;
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized MasterKey masterKey(CryptoProfile crypto) throws IOException {
        Key key = entry(MASTER);
        if (key == null) {
            store(MASTER, crypto.newSymmetricKey());
            events.add(new KeyEvent("key.created", MASTER, KIND));
            key = entry(MASTER);
        } else {
            events.add(new KeyEvent("key.loaded", MASTER, KIND));
        }
        byte[] bytes = key.getEncoded();
        try {
            return MasterKey.inMemory(crypto, bytes);
        } catch (IllegalArgumentException e) {
            throw new KeyCustodyException("the master key does not fit the " + crypto.kind() + " profile");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    @Override
    public synchronized MasterKey rotateMasterKey(CryptoProfile crypto, Rotation reseal) throws IOException {
        MasterKey current = masterKey(crypto);
        byte[] next = crypto.newSymmetricKey();
        try {
            MasterKey nextKey = MasterKey.inMemory(crypto, next);
            reseal.reseal(current, nextKey);
            store(MASTER, next); // the commit: one atomic replacement of the keystore file
            events.add(new KeyEvent("key.rotated", MASTER, KIND));
            return nextKey;
        } finally {
            Arrays.fill(next, (byte) 0);
        }
    }

    @Override
    public synchronized void importMasterKey(CryptoProfile crypto, byte[] key) throws IOException {
        if (entry(MASTER) != null) {
            throw new KeyCustodyException("the keystore already holds a master key: the old keys/master.key is not taken");
        }
        MasterKey.inMemory(crypto, key); // checks the length
        store(MASTER, key);
        events.add(new KeyEvent("key.migrated", MASTER, KIND));
    }

    @Override
    public synchronized boolean hasLedgerKey() throws IOException {
        return contains(LEDGER);
    }

    @Override
    public synchronized KeyPair ledgerKey(CryptoProfile crypto) throws IOException {
        if (!contains(LEDGER)) {
            storePair(LEDGER, crypto.newSigningKeyPair(), crypto);
            events.add(new KeyEvent("key.created", LEDGER, KIND));
        } else {
            events.add(new KeyEvent("key.loaded", LEDGER, KIND));
        }
        return pair(LEDGER);
    }

    @Override
    public synchronized void importLedgerKey(CryptoProfile crypto, KeyPair pair) throws IOException {
        if (contains(LEDGER)) {
            throw new KeyCustodyException("the keystore already holds a ledger key: the old ledger/ledger.key is not taken");
        }
        storePair(LEDGER, pair, crypto);
        events.add(new KeyEvent("key.migrated", LEDGER, KIND));
    }

    @Override
    public synchronized Optional<ServerCredentials> serverCredentials() throws IOException {
        if (!contains(SERVER)) {
            return Optional.empty();
        }
        try {
            PrivateKey key = (PrivateKey) store.getKey(SERVER, passphrase);
            List<X509Certificate> chain = Arrays.stream(store.getCertificateChain(SERVER))
                    .map(X509Certificate.class::cast).toList();
            events.add(new KeyEvent("key.loaded", SERVER, KIND));
            return Optional.of(new ServerCredentials(key, chain));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new KeyCustodyException("the server key in " + file + " is unreadable", e);
        }
    }

    @Override
    public synchronized void storeServerCredentials(ServerCredentials credentials) throws IOException {
        boolean replaced = contains(SERVER);
        try {
            store.setKeyEntry(SERVER, credentials.key(), passphrase, credentials.chain().toArray(Certificate[]::new));
        } catch (GeneralSecurityException e) {
            throw new KeyCustodyException("the server key could not be stored: " + e.getClass().getSimpleName(), e);
        }
        save();
        events.add(new KeyEvent(replaced ? "key.rotated" : "key.created", SERVER, KIND));
    }

    @Override
    public synchronized List<KeyEvent> drainEvents() {
        List<KeyEvent> drained = List.copyOf(events);
        events.clear();
        return drained;
    }

    private boolean contains(String alias) throws KeyCustodyException {
        try {
            return store.containsAlias(alias);
        } catch (GeneralSecurityException e) {
            throw new KeyCustodyException("the keystore " + file + " is unreadable", e);
        }
    }

    private Key entry(String alias) throws KeyCustodyException {
        try {
            return store.getKey(alias, passphrase);
        } catch (GeneralSecurityException e) {
            throw new KeyCustodyException("the " + alias + " key in " + file + " is unreadable", e);
        }
    }

    private KeyPair pair(String alias) throws KeyCustodyException {
        try {
            PrivateKey key = (PrivateKey) store.getKey(alias, passphrase);
            return new KeyPair(store.getCertificate(alias).getPublicKey(), key);
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new KeyCustodyException("the " + alias + " key in " + file + " is unreadable", e);
        }
    }

    private void store(String alias, byte[] key) throws IOException {
        try {
            // BCFKS names secret keys by algorithm; SM4 and AES keys are both stored under the AES name
            store.setKeyEntry(alias, new SecretKeySpec(key, "AES"), passphrase, null);
        } catch (GeneralSecurityException e) {
            throw new KeyCustodyException("the " + alias + " key could not be stored: " + e.getClass().getSimpleName(), e);
        }
        save();
    }

    private void storePair(String alias, KeyPair pair, CryptoProfile crypto) throws IOException {
        X509Certificate self = SelfSignedCertificate.of(pair, crypto.signatureAlgorithm(), "Data Sandbox " + alias);
        try {
            store.setKeyEntry(alias, pair.getPrivate(), passphrase, new Certificate[] {self});
        } catch (GeneralSecurityException e) {
            throw new KeyCustodyException("the " + alias + " key could not be stored: " + e.getClass().getSimpleName(), e);
        }
        save();
    }

    private void save() throws IOException {
        Bcfks.save(store, file, passphrase);
    }
}
