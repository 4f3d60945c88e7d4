package org.datasandbox.core.storage;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.crypto.KeyAccessDeniedException;
import org.apache.parquet.crypto.keytools.KmsClient;

/**
 * Parquet's key-management hook: wraps the key-encryption keys Parquet generates with a dataset's data
 * key from the {@link KeyVault}. Parquet creates it by class name, so it finds its vault through the
 * vault id inside the master key identifier ({@code vaultId/keyName}). In an executor on another JVM
 * (a cluster), where no vault is open, it asks the driver through {@link DriverKeyPlugin}.
 */
public final class SandboxKmsClient implements KmsClient {

    @Override
    public void initialize(Configuration configuration, String kmsInstanceId, String kmsInstanceUrl, String accessToken) {
        // Keys come from the in-process vault; there is no remote KMS to connect to.
    }

    @Override
    public String wrapKey(byte[] keyBytes, String masterKeyIdentifier) throws KeyAccessDeniedException {
        if (isLocal(masterKeyIdentifier)) {
            return wrapLocally(keyBytes, masterKeyIdentifier);
        }
        return (String) askDriver(new DriverKeyPlugin.Wrap(keyBytes, masterKeyIdentifier), masterKeyIdentifier);
    }

    @Override
    public byte[] unwrapKey(String wrappedKey, String masterKeyIdentifier) throws KeyAccessDeniedException {
        if (isLocal(masterKeyIdentifier)) {
            return unwrapLocally(wrappedKey, masterKeyIdentifier);
        }
        return (byte[]) askDriver(new DriverKeyPlugin.Unwrap(wrappedKey, masterKeyIdentifier), masterKeyIdentifier);
    }

    /** In the driver's JVM (and every executor of local mode) the vault is at hand. */
    private static boolean isLocal(String masterKeyIdentifier) {
        int slash = masterKeyIdentifier.indexOf('/');
        return slash < 0 || KeyVault.byId(masterKeyIdentifier.substring(0, slash)).isPresent()
                || DriverKeyPlugin.executorContext() == null;
    }

    /** An executor on another JVM: the driver wraps or unwraps, over Spark's authenticated, encrypted RPC. */
    private static Object askDriver(Object request, String masterKeyIdentifier) throws KeyAccessDeniedException {
        try {
            return DriverKeyPlugin.executorContext().ask(request);
        } catch (Exception e) {
            throw new KeyAccessDeniedException("the driver refused a key of " + masterKeyIdentifier);
        }
    }

    static String wrapLocally(byte[] keyBytes, String masterKeyIdentifier) throws KeyAccessDeniedException {
        Resolved resolved = resolve(masterKeyIdentifier);
        try {
            byte[] wrapped = resolved.vault().crypto().seal(resolved.vault().dataKey(resolved.keyName()), keyBytes,
                    masterKeyIdentifier.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(wrapped);
        } catch (GeneralSecurityException e) {
            throw new KeyAccessDeniedException("no key for " + masterKeyIdentifier);
        }
    }

    static byte[] unwrapLocally(String wrappedKey, String masterKeyIdentifier) throws KeyAccessDeniedException {
        Resolved resolved = resolve(masterKeyIdentifier);
        try {
            return resolved.vault().crypto().open(resolved.vault().dataKey(resolved.keyName()),
                    Base64.getDecoder().decode(wrappedKey), masterKeyIdentifier.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new KeyAccessDeniedException("cannot unwrap a key of " + masterKeyIdentifier);
        }
    }

    private record Resolved(KeyVault vault, String keyName) {
    }

    private static Resolved resolve(String masterKeyIdentifier) throws KeyAccessDeniedException {
        int slash = masterKeyIdentifier.indexOf('/');
        if (slash < 0) {
            throw new KeyAccessDeniedException("malformed key id");
        }
        KeyVault vault = KeyVault.byId(masterKeyIdentifier.substring(0, slash))
                .orElseThrow(() -> new KeyAccessDeniedException("unknown key vault"));
        return new Resolved(vault, masterKeyIdentifier.substring(slash + 1));
    }
}
