package org.datasandbox.core.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a sandbox keeps its keys, none of it inside the data directory.
 *
 * @param keyFile the passphrase file that seals the keystore of working keys ({@code --key-file},
 *     {@code DATASANDBOX_KEY_FILE}); created on first start
 * @param caKeystore the CA's own keystore, sealed by the same key file; written on first start, read only
 *     by certificate tools ({@code --ca-keystore})
 * @param pkcs11 a PKCS#11 token holding the working keys instead of the sealed keystore, or null
 * @param rotateMasterKey whether to replace the master key on opening (data keys re-sealed under the new one)
 */
public record KeySettings(Path keyFile, Path caKeystore, Pkcs11Settings pkcs11, boolean rotateMasterKey) {

    /**
     * A PKCS#11 token.
     *
     * @param library the token's PKCS#11 module ({@code libsofthsm2.so}, a vendor's library)
     * @param slotIndex the slot list index of the token
     * @param pinFile a file outside the data directory holding the user PIN
     */
    public record Pkcs11Settings(Path library, int slotIndex, Path pinFile) {
        public Pkcs11Settings {
            Objects.requireNonNull(library, "library");
            Objects.requireNonNull(pinFile, "pinFile");
            if (slotIndex < 0) {
                throw new IllegalArgumentException("slotIndex must be >= 0. Provided value: " + slotIndex);
            }
        }
    }

    public KeySettings {
        Objects.requireNonNull(keyFile, "keyFile");
        Objects.requireNonNull(caKeystore, "caKeystore");
        keyFile = keyFile.toAbsolutePath().normalize();
        caKeystore = caKeystore.toAbsolutePath().normalize();
    }

    /**
     * The embedded default: a folder beside the data directory ({@code <data>.keys/}) holding the key file
     * and the CA keystore. Copying the data directory alone does not take them along.
     */
    public static KeySettings beside(Path dataDir) {
        Path absolute = dataDir.toAbsolutePath().normalize();
        Path folder = absolute.resolveSibling(absolute.getFileName() + ".keys");
        return new KeySettings(folder.resolve("sandbox.key"), folder.resolve("ca.bcfks"), null, false);
    }

    /** A key file elsewhere; the CA keystore goes beside it. */
    public static KeySettings keyFile(Path keyFile) {
        Path absolute = keyFile.toAbsolutePath().normalize();
        return new KeySettings(absolute, absolute.resolveSibling("ca.bcfks"), null, false);
    }

    public KeySettings withCaKeystore(Path file) {
        return new KeySettings(keyFile, file, pkcs11, rotateMasterKey);
    }

    public KeySettings withPkcs11(Pkcs11Settings token) {
        return new KeySettings(keyFile, caKeystore, token, rotateMasterKey);
    }

    public KeySettings withMasterKeyRotation(boolean rotate) {
        return new KeySettings(keyFile, caKeystore, pkcs11, rotate);
    }
}
