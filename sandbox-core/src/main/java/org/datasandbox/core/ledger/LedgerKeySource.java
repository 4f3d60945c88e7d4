package org.datasandbox.core.ledger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.crypto.Pem;

/** Where the ledger's signing key comes from: key custody for a sandbox, a PEM file for tests and tools. */
public interface LedgerKeySource {

    /** Whether the key exists already (a ledger that recorded entries before needs it). */
    boolean exists() throws IOException;

    /** The key pair, created on first use. */
    KeyPair loadOrCreate(CryptoProfile crypto) throws IOException;

    /** An unencrypted PEM file (with its public half in {@code ledger.pub}): tests, benchmarks and tools only. */
    static LedgerKeySource pemFile(Path ledgerDir) {
        Path file = LedgerFormat.privateKey(ledgerDir);
        return new LedgerKeySource() {
            @Override
            public boolean exists() {
                return Files.exists(file);
            }

            @Override
            public KeyPair loadOrCreate(CryptoProfile crypto) throws IOException {
                if (!Files.exists(file)) {
                    KeyPair pair = crypto.newSigningKeyPair();
                    Files.createDirectories(ledgerDir);
                    Pem.writePrivateKey(file, pair.getPrivate());
                    return pair;
                }
                return new KeyPair(Pem.readPublicKey(LedgerFormat.publicKey(ledgerDir)), Pem.readPrivateKey(file));
            }
        };
    }
}
