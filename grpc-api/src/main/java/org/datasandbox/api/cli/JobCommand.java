package org.datasandbox.api.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.datasandbox.api.client.SandboxClient;
import org.datasandbox.api.v1.JobEvent;
import org.datasandbox.api.v1.JobState;
import org.datasandbox.api.v1.JobTicket;
import org.datasandbox.core.identity.Role;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sandbox job submit|watch|fetch|cancel}: a developer's job on the originals, over gRPC. */
@Command(name = "job", mixinStandardHelpOptions = true, description = "Run queries on the originals (developer).",
        subcommands = {JobCommand.Submit.class, JobCommand.Watch.class, JobCommand.Fetch.class, JobCommand.Cancel.class})
final class JobCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** The query, given inline or as a file. */
    static final class Query {
        @Option(names = "--sql", required = true, description = "The query, in Spark SQL.")
        String sql;

        @Option(names = "--sql-file", required = true, description = "A file holding the query.")
        Path file;

        String text() throws java.io.IOException {
            return sql != null ? sql : Files.readString(file);
        }
    }

    @Command(name = "submit", mixinStandardHelpOptions = true,
            description = "Submit a query: the guard checks and rewrites it; prints the job id (and with --watch follows it).")
    static final class Submit implements Callable<Integer> {
        @Mixin
        ServerConnection server;

        @Option(names = "--scenario", required = true, description = "The scenario the query runs under.")
        String scenario;

        @ArgGroup(multiplicity = "1")
        Query query;

        @Option(names = "--watch", description = "Follow the job until it ends, with a progress bar.")
        boolean watch;

        @Override
        public Integer call() throws Exception {
            return server.run(Role.DEVELOPER, "", developer -> {
                JobTicket ticket = developer.submitJob(scenario, query.text());
                System.out.println(ticket.getJobId());
                System.err.println("rewritten by the guard (" + String.join(", ", ticket.getRewritesList()) + "):");
                System.err.println("  " + ticket.getRewrittenSql());
                return watch ? Watch.follow(developer, ticket.getJobId()) : 0;
            });
        }
    }

    @Command(name = "watch", mixinStandardHelpOptions = true,
            description = "Follow a job until it ends, with a progress bar. Exit code 0 when released, 1 when failed, "
                    + "2 when held for review.")
    static final class Watch implements Callable<Integer> {
        private static final int BAR = 30;

        @Mixin
        ServerConnection server;

        @Parameters(paramLabel = "JOB", description = "The job id.")
        String jobId;

        @Override
        public Integer call() throws Exception {
            return server.run(Role.DEVELOPER, "", developer -> follow(developer, jobId));
        }

        static int follow(SandboxClient developer, String jobId) {
            PrintStream err = System.err;
            JobEvent last = developer.watchJob(jobId, event -> err.print("\r" + bar(event)));
            err.println();
            if (last != null && last.getState() == JobState.HELD) { // waits for a reviewer: not a failure
                System.out.println(last.getMessage());
                return 2;
            }
            if (last == null || last.getState() != JobState.RELEASED) {
                if (last != null) {
                    err.println(last.getErrorCode() + ": " + last.getMessage());
                    last.getHintsList().forEach(h -> err.println("  hint: " + h));
                }
                return 1;
            }
            System.out.println(last.getMessage());
            return 0;
        }

        /** {@code [##########..........]  12/40 tasks  running}: one line, redrawn in place. */
        static String bar(JobEvent event) {
            boolean ended = event.getState() == JobState.RELEASED;
            double done = event.getTasksTotal() > 0 ? event.getTasksDone() / (double) event.getTasksTotal() : ended ? 1 : 0;
            int filled = (int) Math.round(done * BAR);
            String tasks = event.getTasksTotal() > 0 ? String.format("%4d/%-4d tasks", event.getTasksDone(), event.getTasksTotal())
                    : "              ";
            return "[" + "#".repeat(filled) + ".".repeat(BAR - filled) + "] " + tasks + "  "
                    + event.getState().name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = "Download a released result to a file (csv, parquet or arrow); prints its receipt.")
    static final class Fetch implements Callable<Integer> {
        @Mixin
        ServerConnection server;

        @Parameters(paramLabel = "JOB", description = "The job id.")
        String jobId;

        @Option(names = "--out", required = true, description = "File to write.")
        Path out;

        @Option(names = "--format", description = "csv, parquet or arrow (default: from the --out extension "
                + ".csv, .parquet or .arrow, else csv).")
        String format;

        @Override
        public Integer call() throws Exception {
            String chosen = ResultFiles.format(format, out);
            return server.run(Role.DEVELOPER, "", developer -> {
                SandboxClient.Result result = developer.fetchResult(jobId);
                ResultFiles.write(result, chosen, out);
                System.out.printf("%s: %d rows, sha %s, ledger entry %d%n", out, result.receipt().getRows(),
                        result.receipt().getSha(), result.receipt().getLedgerSequence());
                return 0;
            });
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = "Cancel a job that has not ended: your own, or with --admin any job. Nothing it computed is kept.")
    static final class Cancel implements Callable<Integer> {
        @Mixin
        ServerConnection server;

        @Parameters(paramLabel = "JOB", description = "The job id.")
        String jobId;

        @Option(names = "--admin", description = "Connect as the platform admin (with --data-dir: the admin's demo certificate).")
        boolean admin;

        @Override
        public Integer call() throws Exception {
            return server.run(admin ? Role.ADMIN : Role.DEVELOPER, "", client -> {
                var reply = client.cancelJob(jobId);
                System.out.println(jobId + ": cancelled (was " + reply.getWas().name().toLowerCase(java.util.Locale.ROOT) + ")");
                return 0;
            });
        }
    }
}
