package org.datasandbox.api.cli;

import java.nio.file.Path;
import org.datasandbox.core.config.KeySettings;
import org.datasandbox.core.custody.KeyCustodyException;
import picocli.CommandLine.Option;

/**
 * Where a command finds the sandbox's keys: the key file that seals the keystores and the CA keystore,
 * both outside the data directory. Without options: a folder beside the data directory
 * ({@code <data-dir>.keys/}).
 */
final class KeyOptions {
    @Option(names = "--key-file", defaultValue = "${env:DATASANDBOX_KEY_FILE}",
            description = "File holding the passphrase that seals the keystore; outside the data directory, created on "
                    + "first start (default: $DATASANDBOX_KEY_FILE, else <data-dir>.keys/sandbox.key).")
    Path keyFile;

    @Option(names = "--ca-keystore", defaultValue = "${env:DATASANDBOX_CA_KEYSTORE}",
            description = "The CA's own keystore, sealed by the key file; only certificate commands open it "
                    + "(default: $DATASANDBOX_CA_KEYSTORE, else ca.bcfks beside the key file).")
    Path caKeystore;

    @Option(names = "--pkcs11-library", defaultValue = "${env:DATASANDBOX_PKCS11_LIBRARY}",
            description = "PKCS#11 module (e.g. /usr/lib/softhsm/libsofthsm2.so): keep the master and ledger keys in "
                    + "that token instead of the sealed keystore (default: $DATASANDBOX_PKCS11_LIBRARY).")
    Path pkcs11Library;

    @Option(names = "--pkcs11-slot", defaultValue = "0", description = "Slot list index of the token (default: 0).")
    int pkcs11Slot;

    @Option(names = "--pkcs11-pin-file", defaultValue = "${env:DATASANDBOX_PKCS11_PIN_FILE}",
            description = "File with the token's user PIN, outside the data directory (default: $DATASANDBOX_PKCS11_PIN_FILE).")
    Path pkcs11PinFile;

    KeySettings settings(Path dataDir) throws KeyCustodyException {
        KeySettings settings = keyFile != null ? KeySettings.keyFile(keyFile) : KeySettings.beside(dataDir);
        if (caKeystore != null) {
            settings = settings.withCaKeystore(caKeystore);
        }
        if (pkcs11Library != null) {
            if (pkcs11PinFile == null) {
                throw new KeyCustodyException("--pkcs11-library needs --pkcs11-pin-file (or DATASANDBOX_PKCS11_PIN_FILE)");
            }
            settings = settings.withPkcs11(new KeySettings.Pkcs11Settings(pkcs11Library, pkcs11Slot, pkcs11PinFile));
        }
        return settings;
    }
}
