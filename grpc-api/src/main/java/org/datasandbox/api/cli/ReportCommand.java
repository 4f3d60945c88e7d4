package org.datasandbox.api.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.report.AnnualReport;
import org.datasandbox.core.report.AnnualReports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sandbox report annual --year Y}: the annual report from a running server (admin, auditor);
 * {@code sandbox report verify REPORT --data-dir D}: computes it again, offline, from a copy of the ledger.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "The annual report, computed from the evidence ledger, and its verification.",
        subcommands = {ReportCommand.Annual.class, ReportCommand.Verify.class})
final class ReportCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "annual", mixinStandardHelpOptions = true,
            description = "Per operator and scenario: datasets used, jobs run, outputs released and reviewed, budget "
                    + "spent, refusals and revocations in a year; the JSON names the ledger checkpoint it came from.")
    static final class Annual implements Callable<Integer> {
        @Mixin
        ServerConnection server;

        @Option(names = "--year", required = true, description = "The calendar year, in the server's time zone.")
        int year;

        @Option(names = "--as", defaultValue = "auditor", description = "admin or auditor (default: ${DEFAULT-VALUE}).")
        String role;

        @Option(names = "--out", description = "Write the JSON here instead of standard output.")
        Path out;

        @Override
        public Integer call() throws Exception {
            Role caller = Role.parse(role).orElseThrow(() -> new IllegalArgumentException("unknown role '" + role + "'"));
            return server.run(caller, "", client -> {
                String json = client.annualReport(year);
                if (out == null) {
                    System.out.println(json);
                } else {
                    Files.writeString(out, json + "\n", StandardCharsets.UTF_8);
                    System.err.println("Annual report " + year + " written to " + out);
                }
                return 0;
            });
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Verify an annual report offline: the ledger under --data-dir must contain the report's "
                    + "checkpoint, and the report computed again from the entries up to it must be the same. Exit 1 "
                    + "otherwise.")
    static final class Verify implements Callable<Integer> {
        @Parameters(paramLabel = "REPORT", description = "The report's JSON file.")
        Path report;

        @Option(names = "--data-dir", required = true, description = "Data directory (or a copy) holding ledger/.")
        Path dataDir;

        @Override
        public Integer call() {
            AnnualReport parsed;
            try {
                parsed = AnnualReports.JSON.readValue(Files.readAllBytes(report), AnnualReport.class);
            } catch (java.io.IOException | RuntimeException e) {
                System.out.println("Report INVALID: not an annual report");
                return 1;
            }
            try {
                String problem = AnnualReports.verify(dataDir.resolve("ledger"), parsed);
                if (problem != null) {
                    System.out.println("Report INVALID: " + problem);
                    return 1;
                }
            } catch (java.io.IOException e) {
                System.out.println("Report INVALID: the ledger could not be read");
                return 1;
            }
            System.out.println("Report valid: year " + parsed.year() + " (" + parsed.zone() + "), " + parsed.rows().size()
                    + " rows, computed from ledger entries 1 to " + parsed.checkpointSequence() + " (checkpoint "
                    + parsed.checkpointSequence() + ":" + parsed.checkpointHash() + ")");
            return 0;
        }
    }
}
