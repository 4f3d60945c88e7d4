package org.datasandbox.api.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.datasandbox.core.ledger.Checkpoint;
import org.datasandbox.core.ledger.LedgerVerification;
import org.datasandbox.core.ledger.LedgerVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sandbox audit verify}: checks the evidence ledger offline; exit code 1 on any change.
 * {@code sandbox audit checkpoint}: prints the signed head for the auditor to keep outside the sandbox.
 */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Audit the evidence ledger.",
        subcommands = {AuditCommand.Verify.class, AuditCommand.Export.class, AuditCommand.Deletion.class,
                AuditCommand.ExportExtract.class, AuditCommand.VerifyExtract.class})
final class AuditCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Verify every entry's hash, signature and chain, and the signed head. Exits 1 if anything "
                    + "changed, if the ledger is empty or missing, or if it does not contain the expected checkpoint.")
    static final class Verify implements Callable<Integer> {

        @Option(names = "--data-dir", required = true, description = "Data directory of the sandbox.")
        Path dataDir;

        @Option(names = "--expect-key", description = "The ledger key fingerprint published by the sandbox operator: "
                + "without it, someone who can rewrite the data directory could also replace the key.")
        String expectedKey;

        @Option(names = "--expect-head", paramLabel = "CHECKPOINT",
                description = "A checkpoint kept outside the sandbox: a file written by 'audit checkpoint', or SEQ:HASH. "
                        + "The ledger must still contain that entry unchanged: this catches deletion, rollback to an "
                        + "older copy, and a ledger rewritten and re-signed with the key from the data directory.")
        String expectedHead;

        @Override
        public Integer call() {
            Checkpoint checkpoint = null;
            if (expectedHead != null) {
                try {
                    checkpoint = readCheckpoint(expectedHead);
                } catch (IOException | IllegalArgumentException e) {
                    System.err.println("Unusable --expect-head: " + e.getMessage());
                    return 2;
                }
            }
            Path ledger = dataDir.resolve("ledger");
            if (!Files.isDirectory(ledger)) {
                System.out.println("Ledger INVALID: no evidence ledger under " + dataDir);
                return 1;
            }
            LedgerVerification result = LedgerVerifier.verify(ledger, expectedKey, checkpoint);
            if (result.valid()) {
                System.out.println("Ledger valid: " + result.entries() + " entries, head " + result.headHash());
                if (result.unsignedEntries() > 0) {
                    System.out.println("The last " + result.unsignedEntries() + " entries are chained but not yet signed "
                            + "(after the last checkpoint; a running sandbox signs them within a second)");
                }
                System.out.println("Ledger key fingerprint (" + result.profile() + "): " + result.keyFingerprint()
                        + (expectedKey == null ? "  (compare it with the published one, or pass --expect-key)" : "  (as expected)"));
                System.out.println(checkpoint == null
                        ? "No checkpoint given: a rolled-back or deleted-and-rewritten ledger also verifies (pass --expect-head)"
                        : "Contains the checkpoint " + checkpoint);
                return 0;
            }
            System.out.println("Ledger INVALID: " + result.problem());
            System.out.println("Entries verified before the problem: " + result.entries());
            return 1;
        }

        private static Checkpoint readCheckpoint(String value) throws IOException {
            if (value.matches("[0-9]{1,18}:[0-9a-fA-F]{64}")) {
                return Checkpoint.parse(value);
            }
            Path file = Path.of(value);
            if (!Files.isRegularFile(file) || Files.size(file) > 4096) {
                throw new IllegalArgumentException("neither SEQ:HASH nor a checkpoint file");
            }
            return Checkpoint.parse(Files.readString(file, StandardCharsets.UTF_8));
        }
    }

    @Command(name = "checkpoint", mixinStandardHelpOptions = true,
            description = "Verify the ledger and print its signed head (sequence number and hash) as a checkpoint file. "
                    + "Keep it outside the sandbox and pass it to 'audit verify --expect-head' later.")
    static final class Export implements Callable<Integer> {

        @Option(names = "--data-dir", required = true, description = "Data directory of the sandbox.")
        Path dataDir;

        @Override
        public Integer call() {
            try {
                Checkpoint checkpoint = LedgerVerifier.checkpoint(dataDir.resolve("ledger"));
                System.out.println(new String(checkpoint.toJson(), StandardCharsets.UTF_8));
                System.err.println("Checkpoint " + checkpoint + ": keep this file outside the sandbox.");
                return 0;
            } catch (IOException e) {
                System.err.println("No checkpoint: " + e.getMessage());
                return 1;
            }
        }
    }

    @Command(name = "deletion", mixinStandardHelpOptions = true,
            description = "Verify a deletion certificate offline: its signature by the ledger key (ledger/ledger.pub of "
                    + "the data directory), and that the ledger itself verifies. Exit 1 otherwise.")
    static final class Deletion implements Callable<Integer> {
        @Option(names = "--data-dir", required = true, description = "Data directory of the sandbox.")
        Path dataDir;

        @picocli.CommandLine.Parameters(paramLabel = "CERTIFICATE", description = "authorizations/<scenario>.deletion.json")
        Path certificate;

        @Override
        public Integer call() {
            var verified = org.datasandbox.core.authorization.DeletionCertificates.verify(certificate,
                    dataDir.resolve("ledger").resolve("ledger.pub"));
            if (verified.isEmpty()) {
                System.out.println("Deletion certificate INVALID: not signed by this sandbox's ledger key, or altered");
                return 1;
            }
            LedgerVerification ledger = LedgerVerifier.verify(dataDir.resolve("ledger"));
            var c = verified.get();
            System.out.println("Deletion certificate valid: scenario " + c.scenario() + " ended " + c.endedAt() + " by "
                    + c.endedBy() + " (" + c.reason() + "); " + c.revokedCertificates().size() + " certificates revoked, "
                    + c.destroyedKeys().size() + " keys destroyed, " + c.shreddedFiles().size() + " files shredded");
            System.out.println(ledger.valid() ? "Ledger valid: " + ledger.entries() + " entries (kept)"
                    : "Ledger INVALID: " + ledger.problem());
            return ledger.valid() ? 0 : 1;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "An auditor's extract from a running server: the entries of a period (and of one operator or "
                    + "scenario), the hash chain up to the signed head, signed by the ledger key. Check it with "
                    + "'audit verify-extract'.")
    static final class ExportExtract implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        ServerConnection server;

        @Option(names = "--from", required = true, description = "First day, YYYY-MM-DD (server's time zone).")
        String from;

        @Option(names = "--to", required = true, description = "Last day, YYYY-MM-DD, included.")
        String to;

        @Option(names = "--operator", defaultValue = "", description = "Only this operator's (organization's) entries.")
        String operator;

        @Option(names = "--scenario", defaultValue = "", description = "Only this scenario's entries.")
        String scenario;

        @Option(names = "--out", required = true, description = "The extract file to write.")
        Path out;

        @Override
        public Integer call() throws Exception {
            return server.run(org.datasandbox.core.identity.Role.AUDITOR, "", client -> {
                Files.writeString(out, client.exportAudit(from, to, operator, scenario), StandardCharsets.UTF_8);
                System.err.println("Extract written to " + out);
                return 0;
            });
        }
    }

    @Command(name = "verify-extract", mixinStandardHelpOptions = true,
            description = "Verify an audit extract offline, with nothing but the ledger key's published fingerprint. "
                    + "Exit 1 if anything in it was changed, added or left out.")
    static final class VerifyExtract implements Callable<Integer> {
        @picocli.CommandLine.Parameters(paramLabel = "EXTRACT", description = "The extract file.")
        Path extract;

        @Option(names = "--expect-key", description = "The ledger key fingerprint published by the sandbox operator.")
        String expectedKey;

        @Override
        public Integer call() throws IOException {
            var result = org.datasandbox.core.report.AuditExtracts.verify(extract, expectedKey);
            if (!result.valid()) {
                System.out.println("Extract INVALID: " + result.problem());
                return 1;
            }
            System.out.println("Extract valid: " + result.entries().size() + " entries selected of "
                    + result.checkpoint().sequence() + ", up to checkpoint " + result.checkpoint());
            System.out.println("Ledger key fingerprint: " + result.keyFingerprint() + (expectedKey == null
                    ? "  (compare it with the published one, or pass --expect-key)" : "  (as expected)"));
            return 0;
        }
    }
}
