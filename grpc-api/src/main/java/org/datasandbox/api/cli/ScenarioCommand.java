package org.datasandbox.api.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.datasandbox.api.v1.ApplicationNarrowing;
import org.datasandbox.api.v1.ApplicationTable;
import org.datasandbox.api.v1.ScenarioApplicationInfo;
import org.datasandbox.api.v1.ScenarioApplicationRequest;
import org.datasandbox.core.identity.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sandbox scenario apply|list|approve|narrow|reject}: scenario applications against a running server. A
 * developer applies; an admin approves, narrows or rejects with a reason; an approved application is a scenario.
 */
@Command(name = "scenario", mixinStandardHelpOptions = true,
        description = "Apply for a scenario (developer), list and decide applications, or end a scenario (admin).",
        subcommands = {ScenarioCommand.Apply.class, ScenarioCommand.ListApplications.class, ScenarioCommand.Approve.class,
                ScenarioCommand.Narrow.class, ScenarioCommand.Reject.class, ScenarioCommand.Terminate.class})
final class ScenarioCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** {@code table=col1,col2} options, as the application's tables. */
    static List<ApplicationTable> tables(Map<String, String> grants) {
        List<ApplicationTable> tables = new ArrayList<>();
        if (grants != null) {
            new java.util.TreeMap<>(grants).forEach((table, columns) -> tables.add(ApplicationTable.newBuilder()
                    .setTable(table).addAllColumns(List.of(columns.split(","))).build()));
        }
        return tables;
    }

    static String line(ScenarioApplicationInfo application) {
        ScenarioApplicationRequest shown = application.hasGranted() ? application.getGranted() : application.getRequested();
        StringBuilder grants = new StringBuilder();
        for (ApplicationTable table : shown.getTablesList()) {
            grants.append(grants.isEmpty() ? "" : " ").append(table.getTable()).append('(')
                    .append(String.join(",", table.getColumnsList())).append(')');
        }
        return String.format("%s  %-8s  scenario %s  %s  %s  %s%s  %d days%s  applicant %s (%s)%s%n", application.getId(),
                application.getState(), shown.getScenarioId(), grants, shown.getOutputMode(),
                shown.getOutputMode().equals("dp") ? "" : "k " + shown.getMinGroupSize() + ", ",
                "epsilon " + shown.getEpsilon(), shown.getTermDays(),
                application.getExpires().isEmpty() ? "" : ", until " + application.getExpires(),
                application.getApplicant(), shown.getOrganization(),
                application.getReason().isEmpty() ? "" : "  reason: " + application.getReason());
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = "Apply for a scenario (developer): the tables and columns it needs, its purpose, outputs and term.")
    static final class Apply implements Callable<Integer> {
        @Mixin
        ServerConnection server;

        @Option(names = "--id", required = true, description = "The scenario's id (lower-case letters, digits, '-').")
        String id;

        @Option(names = "--org", defaultValue = "", description = "Your organization (default: the O of your certificate).")
        String organization;

        @Option(names = "--purpose", required = true, description = "What the scenario is for.")
        String purpose;

        @Option(names = "--table", required = true, paramLabel = "TABLE=COL,COL",
                description = "A table and the columns the scenario needs (repeat per table).")
        Map<String, String> tables;

        @Option(names = "--outputs", required = true, description = "What you plan to release, in words.")
        String outputs;

        @Option(names = "--mode", defaultValue = "threshold", description = "threshold or dp (default: ${DEFAULT-VALUE}).")
        String mode;

        @Option(names = "--k", description = "k of threshold mode (default 10).")
        int k;

        @Option(names = "--epsilon", description = "The lifetime privacy budget per table (default 10).")
        double epsilon;

        @Option(names = "--term-days", required = true, description = "The term in days, at most 3 years.")
        int termDays;

        @Option(names = "--developer", description = "A colleague who will use the scenario (real name; repeat).")
        List<String> developers = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            return server.run(Role.DEVELOPER, "", client -> {
                System.out.print(line(client.applyForScenario(ScenarioApplicationRequest.newBuilder().setScenarioId(id)
                        .setOrganization(organization).setPurpose(purpose).addAllTables(tables(tables))
                        .setPlannedOutputs(outputs).setOutputMode(mode).setMinGroupSize(k).setEpsilon(epsilon)
                        .setTermDays(termDays).addAllDevelopers(developers).build())));
                return 0;
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List scenario applications: a developer's own, or all (admin, auditor).")
    static final class ListApplications implements Callable<Integer> {
        @Mixin
        ServerConnection server;

        @Option(names = "--as", defaultValue = "admin", description = "Your role: developer, admin or auditor "
                + "(default: ${DEFAULT-VALUE}); with --data-dir it picks the demo certificate.")
        String role;

        @Override
        public Integer call() throws Exception {
            Role caller = Role.parse(role).orElseThrow(() -> new IllegalArgumentException("unknown role '" + role + "'"));
            return server.run(caller, "", client -> {
                client.listApplications().forEach(a -> System.out.print(line(a)));
                return 0;
            });
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true, description = "Approve an application as asked (admin).")
    static final class Approve implements Callable<Integer> {
        @Mixin
        ServerConnection server;

        @Parameters(paramLabel = "APPLICATION", description = "The application's id.")
        String application;

        @Option(names = "--reason", defaultValue = "", description = "Why (optional when approving as asked).")
        String reason;

        @Override
        public Integer call() throws Exception {
            return server.run(Role.ADMIN, "", client -> {
                System.out.print(line(client.approveApplication(application, reason)));
                return 0;
            });
        }
    }

    @Command(name = "narrow", mixinStandardHelpOptions = true,
            description = "Approve less than asked (admin): fewer tables or columns, a shorter term, a stricter output.")
    static final class Narrow implements Callable<Integer> {
        @Mixin
        ServerConnection server;

        @Parameters(paramLabel = "APPLICATION", description = "The application's id.")
        String application;

        @Option(names = "--reason", required = true, description = "Why.")
        String reason;

        @Option(names = "--table", paramLabel = "TABLE=COL,COL",
                description = "A table and the columns kept (repeat; tables not named are taken away).")
        Map<String, String> tables;

        @Option(names = "--term-days", description = "A shorter term.")
        int termDays;

        @Option(names = "--mode", description = "dp instead of threshold.")
        String mode;

        @Option(names = "--k", description = "A larger k.")
        int k;

        @Option(names = "--epsilon", description = "A smaller lifetime budget.")
        double epsilon;

        @Override
        public Integer call() throws Exception {
            return server.run(Role.ADMIN, "", client -> {
                System.out.print(line(client.narrowApplication(ApplicationNarrowing.newBuilder()
                        .setApplicationId(application).setReason(reason).addAllTables(tables(tables))
                        .setTermDays(termDays).setOutputMode(mode == null ? "" : mode).setMinGroupSize(k)
                        .setEpsilon(epsilon).build())));
                return 0;
            });
        }
    }

    @Command(name = "reject", mixinStandardHelpOptions = true, description = "Reject an application with a reason (admin).")
    static final class Reject implements Callable<Integer> {
        @Mixin
        ServerConnection server;

        @Parameters(paramLabel = "APPLICATION", description = "The application's id.")
        String application;

        @Option(names = "--reason", required = true, description = "Why.")
        String reason;

        @Override
        public Integer call() throws Exception {
            return server.run(Role.ADMIN, "", client -> {
                System.out.print(line(client.rejectApplication(application, reason)));
                return 0;
            });
        }
    }

    @Command(name = "terminate", mixinStandardHelpOptions = true,
            description = "End a scenario's authorization now (admin): its developers' certificates with no other scenario "
                    + "are revoked, its samples crypto-shredded, and a signed deletion certificate written.")
    static final class Terminate implements Callable<Integer> {
        @Mixin
        ServerConnection server;

        @Parameters(paramLabel = "SCENARIO", description = "The scenario's id.")
        String scenario;

        @Option(names = "--reason", required = true, description = "Why.")
        String reason;

        @Override
        public Integer call() throws Exception {
            return server.run(Role.ADMIN, "", client -> {
                var certificate = client.terminateScenario(scenario, reason);
                System.out.printf("Ended scenario %s: %d certificates revoked, %d keys destroyed, %d files shredded;"
                                + " deletion certificate %s (verify: sandbox audit deletion)%n", certificate.getScenario(),
                        certificate.getRevokedCertificatesCount(), certificate.getDestroyedKeysCount(),
                        certificate.getShreddedFilesCount(), certificate.getCertificateFile());
                return 0;
            });
        }
    }
}
