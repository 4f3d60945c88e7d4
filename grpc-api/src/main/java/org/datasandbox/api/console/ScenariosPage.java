package org.datasandbox.api.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.policy.ScenarioPolicy;
import org.datasandbox.dp.accounting.BudgetStatus;
import org.datasandbox.guard.catalog.OutputMode;

/** The approved scenarios: mode, developers, grants, output rule (k or per-query budget) and budget left. */
final class ScenariosPage {
    private final Sandbox sandbox;

    ScenariosPage(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    ConsoleResponse render(ConsoleRequest request) {
        List<List<String>> rows = new ArrayList<>();
        for (ScenarioPolicy s : sandbox.scenarios(request.caller())) {
            rows.add(List.of(
                    "<span class=\"id\">" + Html.text(s.id()) + "</span> <span class=\"muted\">v" + s.version() + "</span>",
                    Html.text(s.purpose()),
                    "<span class=\"mode\">" + Html.text(s.review().everyOutput() ? "review"
                            : s.mode().name().toLowerCase(Locale.ROOT)) + "</span>",
                    Html.text(String.join(", ", s.developers())),
                    grants(s),
                    rule(s),
                    budgetLeft(request, s)));
        }
        return request.page("Scenarios", Html.table("scenarios",
                List.of("scenario", "purpose", "mode", "developers", "grants", "output rule", "budget left (ε)"), rows));
    }

    private static String grants(ScenarioPolicy s) {
        StringBuilder out = new StringBuilder("<ul class=\"grants\">");
        new TreeMap<>(s.grants()).forEach((table, columns) -> out.append("<li><b>").append(Html.text(table))
                .append("</b>: ").append(Html.text(String.join(", ", new java.util.TreeSet<>(columns)))).append("</li>"));
        return out.append("</ul>").toString();
    }

    private static String rule(ScenarioPolicy s) {
        if (s.mode() == OutputMode.DP) {
            return "ε " + Html.text(s.dp().epsilon().toPlainString()) + ", δ " + Html.text(s.dp().delta())
                    + " per query; lifetime ε " + Html.text(s.budget().epsilon()) + ", δ " + Html.text(s.budget().delta());
        }
        return "k = " + s.minGroupSize() + ", small groups " + Html.text(s.smallGroups().name().toLowerCase(Locale.ROOT))
                + "; lifetime ε " + Html.text(s.budget().epsilon());
    }

    /** Budgets are figures of the budget, never of data; the core shows them to admins and auditors. */
    private String budgetLeft(ConsoleRequest request, ScenarioPolicy s) {
        if (request.caller().role() != Role.ADMIN && request.caller().role() != Role.AUDITOR) {
            return "<span class=\"muted\">admins and auditors</span>";
        }
        Map<String, String> left = new TreeMap<>();
        for (BudgetStatus status : sandbox.budget(request.caller(), s.id()).accounts()) {
            left.put(status.key().table(), String.format(Locale.ROOT, "%.3f of %.3f", status.remainingEpsilon(),
                    status.lifetime().epsilon()));
        }
        if (left.isEmpty()) {
            return "<span class=\"muted\">nothing spent</span>";
        }
        StringBuilder out = new StringBuilder("<ul class=\"budget\">");
        left.forEach((table, figure) -> out.append("<li>").append(Html.text(table)).append(": ")
                .append(Html.text(figure)).append("</li>"));
        return out.append("</ul>").toString();
    }
}
