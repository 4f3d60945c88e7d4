package org.datasandbox.api.cli;

import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.datasandbox.api.client.SandboxClient;
import org.datasandbox.api.v1.PolicyReceipt;
import org.datasandbox.core.identity.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sandbox policy apply|propose}: the admin's policy work against a running server, over gRPC. */
@Command(name = "policy", mixinStandardHelpOptions = true, description = "Apply or draft policies on a running server (admin).",
        subcommands = {PolicyCommand.Apply.class, PolicyCommand.Propose.class})
final class PolicyCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = "Apply table policies and scenarios (YAML files, in order). Stops at the first refused one; exit 1.")
    static final class Apply implements Callable<Integer> {
        @Mixin
        ServerConnection server;

        @Parameters(paramLabel = "FILE", arity = "1..*", description = "Policy documents.")
        List<Path> files;

        @Override
        public Integer call() throws Exception {
            try (SandboxClient admin = server.connect(Role.ADMIN)) {
                for (Path file : files) {
                    try {
                        PolicyReceipt receipt = admin.applyPolicy(Files.readString(file));
                        System.out.printf("%s: %s %s v%d, sha %s%n", file, receipt.getKind(), receipt.getName(),
                                receipt.getVersion(), receipt.getSha());
                    } catch (StatusRuntimeException e) {
                        System.err.println(file + ": " + e.getStatus().getCode() + ": " + e.getStatus().getDescription());
                        return 1;
                    }
                }
            }
            return 0;
        }
    }

    @Command(name = "propose", mixinStandardHelpOptions = true,
            description = "Print the profiler's draft policy for a registered table: roles and masks with their evidence;"
                    + " with --scenario, a draft scenario for it in DP mode.")
    static final class Propose implements Callable<Integer> {
        @Mixin
        ServerConnection server;

        @Option(names = "--table", required = true, description = "A registered table.")
        String table;

        @Option(names = "--scenario", description = "Draft a scenario (DP mode, per-query epsilon, delta and "
                + "contribution bounds from the table's profile) instead of the table policy.")
        boolean scenario;

        @Override
        public Integer call() throws Exception {
            try (SandboxClient admin = server.connect(Role.ADMIN)) {
                System.out.print(scenario ? admin.proposeScenario(table) : admin.proposePolicy(table));
                return 0;
            } catch (StatusRuntimeException e) {
                System.err.println(e.getStatus().getCode() + ": " + e.getStatus().getDescription());
                return 1;
            }
        }
    }
}
