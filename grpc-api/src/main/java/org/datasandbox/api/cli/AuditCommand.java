package org.datasandbox.api.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.datasandbox.core.ledger.LedgerVerification;
import org.datasandbox.core.ledger.LedgerVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sandbox audit verify}: checks the evidence ledger offline; exit code 1 on any change. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Audit the evidence ledger.",
        subcommands = AuditCommand.Verify.class)
final class AuditCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Verify every entry's hash, signature and chain, and the signed head. Exits 1 if anything changed.")
    static final class Verify implements Callable<Integer> {

        @Option(names = "--data-dir", required = true, description = "Data directory of the sandbox.")
        Path dataDir;

        @Option(names = "--expect-key", description = "The ledger key fingerprint published by the sandbox operator: "
                + "without it, someone who can rewrite the data directory could also replace the key.")
        String expectedKey;

        @Override
        public Integer call() {
            Path ledger = dataDir.resolve("ledger");
            if (!Files.isDirectory(ledger)) {
                System.err.println("No evidence ledger under " + dataDir);
                return 2;
            }
            LedgerVerification result = LedgerVerifier.verify(ledger, expectedKey);
            if (result.valid()) {
                System.out.println("Ledger valid: " + result.entries() + " entries, head " + result.headHash());
                System.out.println("Ledger key fingerprint (" + result.profile() + "): " + result.keyFingerprint()
                        + (expectedKey == null ? "  (compare it with the published one, or pass --expect-key)" : "  (as expected)"));
                return 0;
            }
            System.out.println("Ledger INVALID: " + result.problem());
            System.out.println("Entries verified before the problem: " + result.entries());
            return 1;
        }
    }
}
