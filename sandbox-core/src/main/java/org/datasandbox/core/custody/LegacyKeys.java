package org.datasandbox.core.custody;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.crypto.Pem;
import org.datasandbox.core.identity.CaKeyStore;
import org.datasandbox.core.identity.PkiLayout;
import org.datasandbox.core.identity.ServerCredentials;

/**
 * The one-time move of a data directory made before key custody, whose keys lie in clear beside the data
 * ({@code keys/master.key}, {@code ledger/ledger.key}, {@code pki/server.key}, {@code pki/ca.key}): each
 * key goes into custody (the CA key into its own keystore) and its file is overwritten and deleted. The
 * caller records the move in the ledger. Copies of the old directory (backups) still hold the old keys:
 * the README says to rotate by re-importing when that matters.
 */
public final class LegacyKeys {
    private LegacyKeys() {
    }

    /** The cleartext key files a data directory still holds. */
    public static List<Path> present(Path dataDir) {
        PkiLayout pki = PkiLayout.under(dataDir);
        return List.of(dataDir.resolve("keys").resolve("master.key"), dataDir.resolve("ledger").resolve("ledger.key"),
                pki.serverKey(), pki.caKey()).stream().filter(Files::exists).toList();
    }

    /** Moves every cleartext key into custody; returns the data-directory-relative names of the files moved. */
    public static List<String> migrate(Path dataDir, KeyCustody custody, CaKeyStore caKeys, CryptoProfile crypto)
            throws IOException {
        List<String> moved = new ArrayList<>();
        Path master = dataDir.resolve("keys").resolve("master.key");
        if (Files.exists(master)) {
            byte[] key = Files.readAllBytes(master);
            custody.importMasterKey(crypto, key);
            java.util.Arrays.fill(key, (byte) 0);
            destroy(master, moved, dataDir);
        }
        Path ledgerDir = dataDir.resolve("ledger");
        Path ledgerKey = ledgerDir.resolve("ledger.key");
        if (Files.exists(ledgerKey)) {
            custody.importLedgerKey(crypto, new KeyPair(Pem.readPublicKey(ledgerDir.resolve("ledger.pub")),
                    Pem.readPrivateKey(ledgerKey)));
            destroy(ledgerKey, moved, dataDir);
        }
        PkiLayout pki = PkiLayout.under(dataDir);
        if (Files.exists(pki.serverKey())) {
            custody.storeServerCredentials(new ServerCredentials(Pem.readPrivateKey(pki.serverKey()),
                    List.of(Pem.readCertificate(pki.serverCertificate()), Pem.readCertificate(pki.caCertificate()))));
            destroy(pki.serverKey(), moved, dataDir);
        }
        if (Files.exists(pki.caKey())) {
            PrivateKey caKey = Pem.readPrivateKey(pki.caKey());
            caKeys.store(caKey, Pem.readCertificate(pki.caCertificate()));
            destroy(pki.caKey(), moved, dataDir);
        }
        return moved;
    }

    /** Overwrites a key file before deleting it (on copy-on-write file systems old blocks may survive). */
    private static void destroy(Path file, List<String> moved, Path dataDir) throws IOException {
        long size = Files.size(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate((int) Math.min(size, 1 << 20)));
            channel.force(true);
        }
        Files.delete(file);
        moved.add(dataDir.relativize(file).toString());
    }
}
