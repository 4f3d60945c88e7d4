package org.datasandbox.api.cli;

import java.util.concurrent.Callable;
import org.datasandbox.api.v1.QualityIssueInfo;
import org.datasandbox.core.identity.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sandbox quality file|answer|list}: data-quality feedback against a running server. A developer files an
 * issue on a granted table (no values in it); the provider who registered the table answers within 3 working days.
 */
@Command(name = "quality", mixinStandardHelpOptions = true,
        description = "File data-quality issues (developer), answer them (provider), list them and the overdue ones.",
        subcommands = {QualityCommand.File.class, QualityCommand.Answer.class, QualityCommand.ListIssues.class})
final class QualityCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    static String line(QualityIssueInfo issue) {
        return String.format("%s  %-13s  table %s  [%s] %s  filed %s by %s  due %s (%s)%s%n", issue.getId(),
                issue.getState(), issue.getTable(), issue.getCategory(), issue.getDescription(), issue.getFiled(),
                issue.getFiledBy(), issue.getDeadline(), issue.getZone(), issue.getAnswered().isEmpty() ? ""
                        : "  answered " + issue.getAnswered() + " by " + issue.getAnsweredBy() + ": " + issue.getAnswer());
    }

    @Command(name = "file", mixinStandardHelpOptions = true,
            description = "File a data-quality issue on a table your scenarios grant you (developer). Describe the "
                    + "problem in words: no values, no number of more than 4 digits, at most 500 characters.")
    static final class File implements Callable<Integer> {
        @Mixin
        ServerConnection server;

        @Option(names = "--table", required = true, description = "The table.")
        String table;

        @Option(names = "--category", required = true, description = "Letters, spaces and hyphens, e.g. 'missing values'.")
        String category;

        @Option(names = "--description", required = true, description = "What is wrong, without quoting data.")
        String description;

        @Override
        public Integer call() throws Exception {
            return server.run(Role.DEVELOPER, "", client -> {
                System.out.print(line(client.fileQualityIssue(table, category, description)));
                return 0;
            });
        }
    }

    @Command(name = "answer", mixinStandardHelpOptions = true,
            description = "Answer a data-quality issue on a table you registered (provider), once.")
    static final class Answer implements Callable<Integer> {
        @Mixin
        ServerConnection server;

        @Parameters(paramLabel = "ISSUE", description = "The issue's id.")
        String issue;

        @Option(names = "--answer", required = true, description = "The answer, with the same limits as a description.")
        String answer;

        @Override
        public Integer call() throws Exception {
            return server.run(Role.PROVIDER, "", client -> {
                System.out.print(line(client.answerQualityIssue(issue, answer)));
                return 0;
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List data-quality issues: a developer's own, a provider's tables', or all (admin, auditor).")
    static final class ListIssues implements Callable<Integer> {
        @Mixin
        ServerConnection server;

        @Option(names = "--as", defaultValue = "admin", description = "Your role: developer, provider, admin or auditor "
                + "(default: ${DEFAULT-VALUE}); with --data-dir it picks the demo certificate.")
        String role;

        @Option(names = "--overdue", description = "Only issues still open at or after their deadline.")
        boolean overdue;

        @Override
        public Integer call() throws Exception {
            Role caller = Role.parse(role).orElseThrow(() -> new IllegalArgumentException("unknown role '" + role + "'"));
            return server.run(caller, "", client -> {
                var issues = client.listQualityIssues(overdue);
                issues.forEach(i -> System.out.print(line(i)));
                System.err.println(issues.size() + (overdue ? " overdue" : "") + " issue(s)");
                return 0;
            });
        }
    }
}
