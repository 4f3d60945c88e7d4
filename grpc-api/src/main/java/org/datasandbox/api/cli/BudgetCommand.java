package org.datasandbox.api.cli;

import java.util.concurrent.Callable;
import org.datasandbox.api.demo.BudgetOutput;
import org.datasandbox.api.v1.BudgetReport;
import org.datasandbox.core.identity.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sandbox budget}: a scenario's lifetime privacy budget per table, spent and left; with {@code --sql}, also
 * what that query would spend (a dry run: the guard decides, nothing runs or is spent).
 */
@Command(name = "budget", mixinStandardHelpOptions = true,
        description = "Show a scenario's privacy budget per table; with --sql, what a query would cost (a dry run).")
final class BudgetCommand implements Callable<Integer> {
    @Mixin
    ServerConnection server;

    @Option(names = "--scenario", required = true, description = "The scenario.")
    String scenario;

    @Option(names = "--sql", description = "A query to price without running it (developers only).")
    String sql;

    @Option(names = "--as", defaultValue = "developer", description = "Your role: developer, admin or auditor "
            + "(default: ${DEFAULT-VALUE}); with --data-dir it picks the demo certificate.")
    String role;

    @Override
    public Integer call() throws Exception {
        Role caller = Role.parse(role).orElseThrow(() -> new IllegalArgumentException("unknown role '" + role + "'"));
        return server.run(caller, "", client -> {
            BudgetReport report = client.budget(scenario);
            System.out.print(BudgetOutput.budget(report));
            if (sql != null) {
                System.out.print(BudgetOutput.cost(client.estimateCost(scenario, sql)));
            }
            return 0;
        });
    }
}
