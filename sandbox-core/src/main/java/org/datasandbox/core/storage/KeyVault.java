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

/**
 * Keys of one sandbox: a master key, and one data key per dataset sealed by it ({@code SM4-GCM} or
 * {@code AES-GCM} with the key id as associated data). Destroying a dataset key makes its Parquet files
 * unreadable for good. The master key sits in the data directory, readable by the owner only; a
 * production deployment would keep it in an HSM or a KMS.
 */
public final class KeyVault {
    private static final Pattern KEY_NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    /** Vaults by id, so that Parquet's reflectively created KMS client finds the right one. */
    private static final Map<String, KeyVault> OPEN = new ConcurrentHashMap<>();

    private final String id;
    private final Path dir;
    private final CryptoProfile crypto;
    private final byte[] masterKey;
    private final Map<String, byte[]> dataKeys = new ConcurrentHashMap<>();

    private KeyVault(String id, Path dir, CryptoProfile crypto, byte[] masterKey) {
        this.id = id;
        this.dir = dir;
        this.crypto = crypto;
        this.masterKey = masterKey;
    }

    public static KeyVault open(Path dir, CryptoProfile crypto) throws IOException {
        Files.createDirectories(dir.resolve("datasets"));
        Path master = dir.resolve("master.key");
        Path idFile = dir.resolve("vault.id");
        if (!Files.exists(master)) {
            Path temp = Files.createTempFile(dir, ".master", ".tmp");
            Pem.ownerOnly(temp);
            Files.write(temp, crypto.newSymmetricKey());
            Files.move(temp, master, StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(idFile, UUID.randomUUID().toString());
        }
        byte[] key = Files.readAllBytes(master);
        if (key.length != crypto.symmetricKeyBytes()) {
            throw new IOException("the master key does not fit the " + crypto.kind() + " profile");
        }
        KeyVault vault = new KeyVault(Files.readString(idFile).trim(), dir, crypto, key);
        OPEN.put(vault.id, vault);
        return vault;
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
        byte[] sealed = crypto.seal(masterKey, key, keyId(keyName).getBytes(StandardCharsets.UTF_8));
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

    /** The data key of a name. */
    byte[] dataKey(String keyName) throws GeneralSecurityException {
        checkName(keyName);
        byte[] cached = dataKeys.get(keyName);
        if (cached != null) {
            return cached;
        }
        try {
            byte[] sealed = Files.readAllBytes(keyFile(keyName));
            byte[] key = crypto.open(masterKey, sealed, keyId(keyName).getBytes(StandardCharsets.UTF_8));
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

    private Path keyFile(String keyName) {
        return dir.resolve("datasets").resolve(keyName + ".key");
    }

    private static void checkName(String keyName) {
        if (!KEY_NAME.matcher(keyName).matches()) {
            throw new IllegalArgumentException("invalid key name");
        }
    }
}
