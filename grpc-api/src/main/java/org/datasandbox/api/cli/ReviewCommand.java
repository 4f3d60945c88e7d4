package org.datasandbox.api.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import org.datasandbox.api.client.SandboxClient;
import org.datasandbox.api.v1.ReleaseRequestDetail;
import org.datasandbox.api.v1.ReleaseRequestSummary;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.release.ArrowResults;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sandbox review list|show|approve|reject}: the release requests a reviewer decides (admins may list and
 * show with {@code --as admin}).
 */
@Command(name = "review", mixinStandardHelpOptions = true,
        description = "Review held outputs: list the queue, show a request with its disclosure report, approve or reject.",
        subcommands = {ReviewCommand.ListRequests.class, ReviewCommand.Show.class, ReviewCommand.Approve.class,
                ReviewCommand.Reject.class})
final class ReviewCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    static Role role(String name) {
        return Role.parse(name).orElseThrow(() -> new IllegalArgumentException("unknown role '" + name + "'"));
    }

    static String line(ReleaseRequestSummary r) {
        return String.format("%s  %-8s  %-19s  job %s  scenario %s  by %s  %d rows  %d/%d approvals  %d flagged cells",
                r.getId(), r.getStatus(), r.getReason(), r.getJobId(), r.getScenario(), r.getRequester(), r.getRows(),
                r.getApprovals(), r.getRequiredApprovals(), r.getFlaggedCells());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The queue, newest first.")
    static final class ListRequests implements Callable<Integer> {
        @Mixin
        ServerConnection server;

        @Option(names = "--status", defaultValue = "", description = "PENDING, APPROVED or REJECTED (default: all).")
        String status;

        @Option(names = "--as", defaultValue = "reviewer", description = "reviewer or admin (default: ${DEFAULT-VALUE}).")
        String as;

        @Override
        public Integer call() throws Exception {
            return server.run(role(as), "", client -> {
                client.listReleaseRequests(status).getRequestsList().forEach(r -> System.out.println(line(r)));
                return 0;
            });
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "One request: the SQL as submitted and rewritten, the votes, the disclosure report (JSON), the result.")
    static final class Show implements Callable<Integer> {
        @Mixin
        ServerConnection server;

        @Parameters(paramLabel = "REQUEST", description = "The release request id (rr-...).")
        String requestId;

        @Option(names = "--as", defaultValue = "reviewer", description = "reviewer or admin (default: ${DEFAULT-VALUE}).")
        String as;

        @Override
        public Integer call() throws Exception {
            return server.run(role(as), "", client -> {
                print(client.getReleaseRequest(requestId), System.out);
                return 0;
            });
        }

        static void print(ReleaseRequestDetail detail, PrintStream out) {
            out.println(line(detail.getSummary()));
            out.println("submitted SQL:  " + detail.getSubmittedSql());
            out.println("rewritten SQL:  " + detail.getRewrittenSql());
            detail.getVotesList().forEach(v -> out.println("vote: " + v.getVerdict() + " by " + v.getReviewer() + " at "
                    + v.getAt() + ": " + v.getReason()));
            out.println("disclosure report:");
            out.println(detail.getReportJson());
            if (!detail.getResultArrow().isEmpty()) {
                ArrowResults.Table table = ArrowResults.decode(detail.getResultArrow().toByteArray());
                out.println("result (" + table.rows().size() + " rows):");
                out.println("  " + String.join(" | ", table.columns()));
                table.rows().forEach(row -> out.println("  " + String.join(" | ",
                        row.stream().map(String::valueOf).toList())));
            }
        }
    }

    /** Approve or reject: a request id and a mandatory reason. */
    abstract static class Decide implements Callable<Integer> {
        @Mixin
        ServerConnection server;

        @Parameters(paramLabel = "REQUEST", description = "The release request id (rr-...).")
        String requestId;

        @Option(names = "--reason", required = true, description = "Why the output may (or may not) leave.")
        String reason;

        abstract String verdict();

        @Override
        public Integer call() throws Exception {
            return server.run(Role.REVIEWER, "", client -> {
                ReleaseRequestSummary decided = client.decideRelease(requestId, verdict(), reason);
                System.out.println(line(decided));
                return 0;
            });
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true,
            description = "Approve a request (with --reason); it is released once enough distinct reviewers approve.")
    static final class Approve extends Decide {
        @Override
        String verdict() {
            return "APPROVE";
        }
    }

    @Command(name = "reject", mixinStandardHelpOptions = true,
            description = "Reject a request (with --reason): its output can never be fetched.")
    static final class Reject extends Decide {
        @Override
        String verdict() {
            return "REJECT";
        }
    }
}
