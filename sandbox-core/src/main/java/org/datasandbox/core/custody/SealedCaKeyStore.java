package org.datasandbox.core.custody;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.datasandbox.core.identity.CaKeyStore;

/**
 * The CA's key in its own BCFKS keystore outside the data directory, sealed by the key file. The server
 * never opens it; {@code sandbox certificate revoke} does.
 */
public final class SealedCaKeyStore implements CaKeyStore {
    private static final String ALIAS = "ca";

    private final Path file;
    private final KeyFile keyFile;

    public SealedCaKeyStore(Path file, KeyFile keyFile) {
        this.file = file.toAbsolutePath().normalize();
        this.keyFile = keyFile;
    }

    /** Refuses a CA keystore inside the data directory. */
    public SealedCaKeyStore requireOutside(Path dataDir) throws KeyCustodyException {
        if (file.startsWith(dataDir.toAbsolutePath().normalize())) {
            throw new KeyCustodyException("the CA keystore " + file + " is inside the data directory " + dataDir
                    + ": keep it elsewhere (--ca-keystore)");
        }
        return this;
    }

    @Override
    public Optional<PrivateKey> load(X509Certificate caCertificate) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        char[] passphrase = keyFile.read();
        KeyStore store = Bcfks.load(file, passphrase, keyFile.path().toString());
        try {
            Certificate stored = store.getCertificate(ALIAS);
            if (stored == null || !stored.equals(caCertificate)) {
                throw new KeyCustodyException("the CA keystore " + file + " holds the key of another CA");
            }
            return Optional.of((PrivateKey) store.getKey(ALIAS, passphrase));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new KeyCustodyException("the CA key in " + file + " is unreadable", e);
        }
    }

    @Override
    public void store(PrivateKey key, X509Certificate caCertificate) throws IOException {
        if (Files.exists(file)) {
            throw new KeyCustodyException("the CA keystore " + file + " exists already: it is not overwritten");
        }
        char[] passphrase = keyFile.readOrCreate();
        KeyStore store = Bcfks.empty();
        try {
            store.setKeyEntry(ALIAS, key, passphrase, new Certificate[] {caCertificate});
        } catch (GeneralSecurityException e) {
            throw new KeyCustodyException("the CA key could not be stored: " + e.getClass().getSimpleName(), e);
        }
        Bcfks.save(store, file, passphrase);
    }

    @Override
    public String where() {
        return file.toString();
    }
}
