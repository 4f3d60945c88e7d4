package org.datasandbox.core.custody;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Base64;
import java.util.Objects;
import java.util.Set;
import org.datasandbox.core.crypto.Pem;
import org.datasandbox.core.crypto.SecureRandoms;

/**
 * The secret that seals the keystores: a file outside the data directory holding a passphrase (created
 * as 32 random bytes in base64, or written by the operator). Whoever has it and a copy of the data
 * directory has the keys; the data directory alone gives nothing.
 */
public record KeyFile(Path path) {
    /** Set in the environment to name the key file instead of {@code --key-file}. */
    public static final String ENVIRONMENT = "DATASANDBOX_KEY_FILE";
    static final int MIN_CHARS = 16;

    public KeyFile {
        Objects.requireNonNull(path, "path");
        path = path.toAbsolutePath().normalize();
    }

    public boolean exists() {
        return Files.exists(path);
    }

    /** Refuses a key file inside the data directory, where it would protect nothing. */
    public void requireOutside(Path dataDir) throws KeyCustodyException {
        Path data = real(dataDir.toAbsolutePath().normalize());
        if (real(path).startsWith(data)) {
            throw new KeyCustodyException("the key file " + path + " is inside the data directory " + dataDir
                    + ": keep it elsewhere (--key-file or " + ENVIRONMENT + "), or a copy of the directory opens every table");
        }
    }

    /** The passphrase, creating the file (owner-only) when it does not exist yet. */
    public char[] readOrCreate() throws IOException {
        if (!exists()) {
            Files.createDirectories(path.getParent());
            byte[] random = new byte[32];
            SecureRandoms.shared().nextBytes(random);
            Path temp = Files.createTempFile(path.getParent(), ".key", ".tmp");
            Pem.ownerOnly(temp);
            Files.writeString(temp, Base64.getEncoder().encodeToString(random) + "\n", StandardCharsets.US_ASCII);
            Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE);
        }
        return read();
    }

    /** The passphrase of an existing key file; refuses one that others may read. */
    public char[] read() throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new KeyCustodyException("no key file at " + path + ": give the key file that sealed this data directory's "
                    + "keystore (--key-file or " + ENVIRONMENT + ")");
        }
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
            if (permissions.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                throw new KeyCustodyException("the key file " + path + " can be read by others: chmod 600 it");
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its own access control protects the file
        }
        String secret = Files.readString(path, StandardCharsets.UTF_8).strip();
        if (secret.length() < MIN_CHARS) {
            throw new KeyCustodyException("the key file " + path + " holds fewer than " + MIN_CHARS + " characters");
        }
        return secret.toCharArray();
    }

    private static Path real(Path path) {
        // resolve symbolic links of the longest existing prefix, so that a link cannot hide the nesting
        Path existing = path;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return path;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(path));
        } catch (IOException e) {
            return path;
        }
    }
}
