package org.datasandbox.api.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.datasandbox.core.config.KeySettings;
import org.datasandbox.core.custody.KeyFile;
import org.datasandbox.core.custody.SealedCaKeyStore;
import org.datasandbox.core.identity.CertificateAuthority;
import org.datasandbox.core.identity.CertificateSerial;
import org.datasandbox.core.identity.PkiLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sandbox certificate revoke}: takes a client certificate out of service, also while the server runs. */
@Command(name = "certificate", mixinStandardHelpOptions = true, description = "Manage client certificates.",
        subcommands = CertificateCommand.Revoke.class)
final class CertificateCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a client certificate by serial: the CA signs a new revocation list (pki/revoked.crl) "
                    + "with its key from the CA keystore, which the server itself never opens. "
                    + "A running server refuses the certificate from its next call on and records the revocation in the ledger.")
    static final class Revoke implements Callable<Integer> {

        @Option(names = "--data-dir", required = true, description = "Data directory of the sandbox.")
        Path dataDir;

        @picocli.CommandLine.Mixin
        KeyOptions keys = new KeyOptions();

        @Parameters(paramLabel = "SERIAL", description = "Certificate serial in hex, as the ledger records it or as "
                + "openssl prints it (leading zeros, colons and either case are fine).")
        String serial;

        @Override
        public Integer call() throws Exception {
            CertificateSerial parsed;
            try {
                parsed = CertificateSerial.parse(serial);
            } catch (IllegalArgumentException e) {
                System.err.println("A serial is hex digits (at most 256 bits), optionally separated by colons.");
                return 2;
            }
            PkiLayout layout = PkiLayout.under(dataDir);
            if (!Files.exists(layout.caCertificate())) {
                System.err.println("No certificate authority under " + dataDir);
                return 2;
            }
            boolean added;
            try {
                KeySettings settings = keys.settings(dataDir.toAbsolutePath());
                CertificateAuthority authority = CertificateAuthority.openOrCreate(layout,
                        new SealedCaKeyStore(settings.caKeystore(), new KeyFile(settings.keyFile())));
                if (!authority.canSign()) {
                    System.err.println("Not revoked: no CA keystore at " + settings.caKeystore()
                            + " (give --ca-keystore and --key-file)");
                    return 2;
                }
                added = authority.revoke(parsed);
            } catch (java.io.IOException e) {
                System.err.println("Not revoked: " + e.getMessage());
                return 1;
            }
            System.out.println((added ? "Revoked certificate " : "Already revoked: certificate ") + parsed.hex()
                    + " (the server records the revocation in the ledger)");
            return 0;
        }
    }
}
