package org.datasandbox.core.custody;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import org.datasandbox.core.crypto.BouncyCastle;
import org.datasandbox.core.crypto.Pem;

/**
 * Bouncy Castle's FIPS-style keystore file: every entry and the whole file protected by keys derived from
 * the passphrase (PBKDF2, AES-CCM, HMAC-SHA512), so that a changed or foreign file fails to load.
 */
final class Bcfks {
    static final String TYPE = "BCFKS";

    private Bcfks() {
    }

    static KeyStore empty() throws KeyCustodyException {
        try {
            KeyStore store = KeyStore.getInstance(TYPE, BouncyCastle.PROVIDER);
            store.load(null, null);
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new KeyCustodyException("no " + TYPE + " keystore support: " + e.getClass().getSimpleName(), e);
        }
    }

    static KeyStore load(Path file, char[] passphrase, String keyFileName) throws KeyCustodyException {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance(TYPE, BouncyCastle.PROVIDER);
            store.load(in, passphrase);
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new KeyCustodyException("the keystore " + file + " does not open with the key file " + keyFileName
                    + " (another key file, or a damaged keystore)");
        }
    }

    static void save(KeyStore store, Path file, char[] passphrase) throws IOException {
        Files.createDirectories(file.getParent());
        Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
        Pem.ownerOnly(temp);
        try (OutputStream out = Files.newOutputStream(temp)) {
            store.store(out, passphrase);
        } catch (GeneralSecurityException e) {
            Files.deleteIfExists(temp);
            throw new KeyCustodyException("the keystore could not be written: " + e.getClass().getSimpleName(), e);
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
