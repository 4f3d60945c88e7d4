package org.datasandbox.api.cli;

import java.nio.file.Path;
import org.datasandbox.core.config.KeySettings;
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

    KeySettings settings(Path dataDir) {
        KeySettings settings = keyFile != null ? KeySettings.keyFile(keyFile) : KeySettings.beside(dataDir);
        return caKeystore != null ? settings.withCaKeystore(caKeystore) : settings;
    }
}
