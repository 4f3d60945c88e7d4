package org.datasandbox.core.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.crypto.Pem;
import org.datasandbox.core.custody.KeyCustody;
import org.datasandbox.core.custody.MasterKey;

/**
 * Keys of one sandbox: one data key per dataset, sealed by the master key of the sandbox's key custody
 * ({@code SM4-GCM} or {@code AES-GCM} with the key id as associated data, or inside a PKCS#11 token).
 * Destroying a dataset key makes its Parquet files unreadable for good. The master key is never in the
 * data directory: without the custody (the key file, or the token) the sealed data keys open nothing.
 */
public final class KeyVault {
    private static final Pattern KEY_NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    /** The file of the layout before key custody: the master key in clear. */
    public static final String LEGACY_MASTER_KEY = "master.key";
    private static final String NEXT = ".next";
    /** Vaults by id, so that Parquet's reflectively created KMS client finds the right one. */
    private static final Map<String, KeyVault> OPEN = new ConcurrentHashMap<>();

    private final String id;
    private final Path dir;
    private final CryptoProfile crypto;
    private final MasterKey masterKey;
    private final Map<String, byte[]> dataKeys = new ConcurrentHashMap<>();

    private KeyVault(String id, Path dir, CryptoProfile crypto, MasterKey masterKey) {
        this.id = id;
        this.dir = dir;
        this.crypto = crypto;
        this.masterKey = masterKey;
    }

    /**
     * Opens the vault of a directory with the master key of a custody, after rotating that key when asked:
     * every data key is re-sealed under a new master key, which custody then commits (the ledger records
     * {@code key.rotated}). A crash at any point leaves either the old or the new master key in force, and
     * every data key readable with it.
     */
    public static KeyVault open(Path dir, CryptoProfile crypto, KeyCustody custody, boolean rotateMasterKey)
            throws IOException {
        MasterKey master = rotateMasterKey
                ? custody.rotateMasterKey(crypto, (current, next) -> reseal(dir, current, next))
                : custody.masterKey(crypto);
        return open(dir, crypto, master);
    }

    /** Opens the vault of a directory with the master key from key custody. */
    public static KeyVault open(Path dir, CryptoProfile crypto, MasterKey masterKey) throws IOException {
        Files.createDirectories(dir.resolve("datasets"));
        if (Files.exists(dir.resolve(LEGACY_MASTER_KEY))) {
            throw new IOException("the key vault holds a master key in clear (" + LEGACY_MASTER_KEY
                    + "): migrate it into key custody first");
        }
        Path idFile = dir.resolve("vault.id");
        if (!Files.exists(idFile)) {
            Path temp = Files.createTempFile(dir, ".vault", ".tmp");
            Files.writeString(temp, UUID.randomUUID().toString());
            Files.move(temp, idFile, StandardCopyOption.ATOMIC_MOVE);
        }
        String id = Files.readString(idFile).trim();
        settleRotation(dir, id, masterKey);
        KeyVault vault = new KeyVault(id, dir, crypto, masterKey);
        OPEN.put(vault.id, vault);
        return vault;
    }

    /**
     * Re-seals every data key under {@code next} into {@code <name>.key.next} beside the current file. The
     * current files and master key stay valid until custody commits {@code next}; then {@link #open} with it
     * puts the new files in place.
     */
    static void reseal(Path dir, MasterKey current, MasterKey next) throws IOException {
        Path idFile = dir.resolve("vault.id");
        if (!Files.exists(idFile)) {
            return; // a new vault: no data key yet
        }
        String id = Files.readString(idFile).trim();
        for (Path file : files(dir, ".key")) {
            byte[] associated = associatedData(id, file, ".key");
            byte[] key = null;
            try {
                key = current.open(Files.readAllBytes(file), associated);
                write(file.resolveSibling(file.getFileName() + NEXT), next.seal(key, associated));
            } catch (GeneralSecurityException e) {
                throw new IOException("a data key does not open with the current master key: not rotated", e);
            } finally {
                if (key != null) {
                    java.util.Arrays.fill(key, (byte) 0);
                }
            }
        }
    }

    /** Finishes or undoes an interrupted rotation: a re-sealed file the master key opens replaces the old one. */
    private static void settleRotation(Path dir, String id, MasterKey master) throws IOException {
        for (Path next : files(dir, ".key" + NEXT)) {
            try {
                master.open(Files.readAllBytes(next), associatedData(id, next, ".key" + NEXT));
                String name = next.getFileName().toString();
                Files.move(next, next.resolveSibling(name.substring(0, name.length() - NEXT.length())),
                        StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (GeneralSecurityException e) {
                Files.delete(next); // sealed by a master key that was never committed
            }
        }
    }

    private static java.util.List<Path> files(Path dir, String suffix) throws IOException {
        try (var listing = Files.list(dir.resolve("datasets"))) {
            return listing.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    private static byte[] associatedData(String id, Path file, String suffix) {
        String name = file.getFileName().toString();
        return (id + "/" + name.substring(0, name.length() - suffix.length())).getBytes(StandardCharsets.UTF_8);
    }

    private static void write(Path file, byte[] content) throws IOException {
        Path temp = Files.createTempFile(file.getParent(), ".key", ".tmp");
        Pem.ownerOnly(temp);
        Files.write(temp, content);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static Optional<KeyVault> byId(String id) {
        return Optional.ofNullable(OPEN.get(id));
    }

    /** The key id Parquet stores in file metadata for a dataset: vault id and key name, never key bytes. */
    public String keyId(String keyName) {
        return id + "/" + keyName;
    }

    String id() {
        return id;
    }

    CryptoProfile crypto() {
        return crypto;
    }

    /** Creates the data key for a name if it does not exist yet. */
    public void createKey(String keyName) throws IOException {
        checkName(keyName);
        Path file = keyFile(keyName);
        if (Files.exists(file)) {
            return;
        }
        byte[] key = crypto.newSymmetricKey();
        byte[] sealed;
        try {
            sealed = masterKey.seal(key, keyId(keyName).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IOException("the master key could not seal a data key: " + e.getClass().getSimpleName(), e);
        }
        Path temp = Files.createTempFile(file.getParent(), ".key", ".tmp");
        Pem.ownerOnly(temp);
        Files.write(temp, sealed);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        dataKeys.put(keyName, key);
    }

    /** Destroys a data key: everything encrypted under it becomes unreadable (crypto-shredding). */
    public void destroyKey(String keyName) throws IOException {
        checkName(keyName);
        byte[] key = dataKeys.remove(keyName);
        if (key != null) {
            java.util.Arrays.fill(key, (byte) 0);
        }
        Files.deleteIfExists(keyFile(keyName));
    }

    /** Whether a data key of this name exists (sealed in the vault). */
    public boolean hasKey(String keyName) {
        checkName(keyName);
        return Files.exists(keyFile(keyName));
    }

    /** The names of every data key in the vault, sorted. */
    public java.util.List<String> keyNames() throws IOException {
        Path folder = dir.resolve("datasets");
        if (!Files.isDirectory(folder)) {
            return java.util.List.of();
        }
        try (var files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".key"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
        }
    }

    /** The data key of a name. */
    byte[] dataKey(String keyName) throws GeneralSecurityException {
        checkName(keyName);
        byte[] cached = dataKeys.get(keyName);
        if (cached != null) {
            return cached;
        }
        try {
            byte[] sealed = Files.readAllBytes(keyFile(keyName));
            byte[] key = masterKey.open(sealed, keyId(keyName).getBytes(StandardCharsets.UTF_8));
            dataKeys.put(keyName, key);
            return key;
        } catch (IOException e) {
            throw new GeneralSecurityException("no data key " + keyName);
        }
    }

    /** A random secret derived for a purpose (e.g. sample pseudonyms), sealed like data keys. */
    public byte[] secret(String keyName) throws IOException {
        createKey(keyName);
        try {
            return dataKey(keyName).clone();
        } catch (GeneralSecurityException e) {
            throw new IOException("unreadable key " + keyName, e);
        }
    }

    /**
     * Takes the vault out of the registry Parquet's key client looks vaults up in, and forgets the data keys it
     * unsealed: after its sandbox closed (or failed to open), nothing in this process reaches its keys through it.
     * The sealed keys on disk stay; opening the directory again registers a new vault. (The arrays are not zeroed:
     * Parquet's own key cache may share them with a later vault of the same directory.)
     */
    public void close() {
        OPEN.remove(id, this);
        dataKeys.clear();
    }

    private Path keyFile(String keyName) {
        return dir.resolve("datasets").resolve(keyName + ".key");
    }

    private static void checkName(String keyName) {
        if (!KEY_NAME.matcher(keyName).matches()) {
            throw new IllegalArgumentException("invalid key name");
        }
    }
}
