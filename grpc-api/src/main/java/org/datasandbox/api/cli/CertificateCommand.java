package org.datasandbox.api.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.datasandbox.core.identity.CertificateAuthority;
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
            description = "Revoke a client certificate by serial (hex, as ledger entries record it). "
                    + "A running server refuses it from its next call on.")
    static final class Revoke implements Callable<Integer> {

        @Option(names = "--data-dir", required = true, description = "Data directory of the sandbox.")
        Path dataDir;

        @Parameters(paramLabel = "SERIAL", description = "Certificate serial in hex.")
        String serial;

        @Override
        public Integer call() throws Exception {
            if (!serial.matches("[0-9a-fA-F]{1,64}")) {
                System.err.println("A serial is 1 to 64 hex digits.");
                return 2;
            }
            PkiLayout layout = PkiLayout.under(dataDir);
            if (!Files.exists(layout.dir())) {
                System.err.println("No certificate authority under " + dataDir);
                return 2;
            }
            CertificateAuthority.openOrCreate(layout).revoke(serial);
            System.out.println("Revoked certificate " + serial.toLowerCase(java.util.Locale.ROOT));
            return 0;
        }
    }
}
