package org.datasandbox.api.demo;

import java.util.Locale;
import org.datasandbox.api.v1.BudgetReport;
import org.datasandbox.api.v1.QueryCost;
import org.datasandbox.api.v1.TableBudget;

/** A scenario's budget and a dry run's cost as text, for the command line and the demo. */
public final class BudgetOutput {
    private BudgetOutput() {
    }

    public static String budget(BudgetReport report) {
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

    public static String cost(QueryCost cost) {
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
