package org.datasandbox.api.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.datasandbox.api.v1.BudgetReport;
import org.datasandbox.api.v1.QueryCost;
import org.datasandbox.api.v1.TableBudget;
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
            System.out.print(describe(report));
            if (sql != null) {
                System.out.print(describe(client.estimateCost(scenario, sql)));
            }
            return 0;
        });
    }

    static String describe(BudgetReport report) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Scenario %s, mode %s", report.getScenario(), report.getMode()));
        if (report.getMode().equals("dp")) {
            out.append(String.format(Locale.ROOT, ", each query spends epsilon %s, delta %s",
                    figure(report.getQueryEpsilon()), figure(report.getQueryDelta())));
        }
        out.append(System.lineSeparator());
        out.append(String.format(Locale.ROOT, "  %-20s %10s %10s %10s %10s %8s%n", "table", "epsilon", "delta", "spent",
                "left", "charges"));
        for (TableBudget table : report.getTablesList()) {
            out.append(String.format(Locale.ROOT, "  %-20s %10s %10s %10s %10s %8d%n", table.getTable(),
                    figure(table.getLifetimeEpsilon()), figure(table.getLifetimeDelta()), figure(table.getSpentEpsilon()),
                    figure(table.getRemainingEpsilon()), table.getCharges()));
        }
        return out.toString();
    }

    static String describe(QueryCost cost) {
        if (!cost.getMode().equals("dp")) {
            return "Cost: nothing from the budget (threshold mode: k people behind every released group)"
                    + System.lineSeparator();
        }
        if (cost.getCached()) {
            return "Cost: nothing: the same query was released before, and running it returns that answer"
                    + System.lineSeparator();
        }
        return String.format(Locale.ROOT, "Cost: epsilon %s, delta %s, charged to %s; %s%n", figure(cost.getEpsilon()),
                figure(cost.getDelta()), String.join(", ", cost.getTablesList()),
                cost.getAffordable() ? "the budget can pay it" : "the budget cannot pay it: it would be refused");
    }

    private static String figure(double value) {
        return String.format(Locale.ROOT, "%.4g", value);
    }
}
