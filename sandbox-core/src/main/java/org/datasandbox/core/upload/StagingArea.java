package org.datasandbox.core.upload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.datasandbox.core.crypto.BouncyCastle;

/**
 * The directory uploads are staged in, and the quota of one upload. Each upload gets its own file under
 * its own in-memory key ({@link StagingCipher}); files left by a crash cannot be decrypted by anyone and
 * are deleted when the area is opened.
 */
public final class StagingArea {
    private static final String SUFFIX = ".staged";
    private final Path dir;
    private final long quota;
    private final String hashName;
    private final SecureRandom random;
    private final int leftoversRemoved;

    private StagingArea(Path dir, long quota, String hashName, SecureRandom random, int leftoversRemoved) {
        this.dir = dir;
        this.quota = quota;
        this.hashName = hashName;
        this.random = random;
        this.leftoversRemoved = leftoversRemoved;
    }

    /**
     * Opens the staging directory, deleting whatever an earlier process left in it.
     *
     * @param quota most bytes one upload may have
     * @param hashName the crypto profile's hash, for the uploads' content hashes
     */
    public static StagingArea open(Path dir, long quota, String hashName, SecureRandom random) throws IOException {
        if (quota < 1) {
            throw new IllegalArgumentException("quota must be > 0. Provided value: " + quota);
        }
        Files.createDirectories(dir);
        int removed = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path leftover : files.toList()) {
                org.datasandbox.core.storage.EncryptedParquet.deleteRecursively(leftover);
                removed++;
            }
        }
        return new StagingArea(dir, quota, hashName, random, removed);
    }

    /** How many files of earlier processes {@link #open} deleted. */
    public int leftoversRemoved() {
        return leftoversRemoved;
    }

    public long quota() {
        return quota;
    }

    /** Starts a new upload in a file of its own. */
    public StagedUpload begin() throws IOException {
        byte[] id = new byte[12];
        random.nextBytes(id);
        Path file = dir.resolve("upload-" + HexFormat.of().formatHex(id) + SUFFIX);
        try {
            return new StagedUpload(file, new StagingCipher(random), quota,
                    MessageDigest.getInstance(hashName, BouncyCastle.PROVIDER));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the hash " + hashName + " is not available", e);
        }
    }

    /** Files staged at the moment (uploads in progress). */
    public long stagedFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }
}
