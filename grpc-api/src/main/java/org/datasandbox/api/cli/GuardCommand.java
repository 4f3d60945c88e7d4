package org.datasandbox.api.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.policy.PolicyDirectory;
import org.datasandbox.core.dprelease.BudgetSplit;
import org.datasandbox.core.dprelease.DpReleases;
import org.datasandbox.core.policy.PolicyParser;
import org.datasandbox.core.policy.ScenarioPolicy;
import org.datasandbox.dp.accounting.PrivacyLoss;
import org.datasandbox.guard.QueryGuard;
import org.datasandbox.guard.catalog.Scenario;
import org.datasandbox.guard.explain.Decision;
import org.datasandbox.guard.explain.Violation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sandbox guard check}: the guard's decision on one query, for policy authors and CI. */
@Command(name = "guard", mixinStandardHelpOptions = true, description = "Check queries against policies.",
        subcommands = GuardCommand.Check.class)
final class GuardCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Print the guard's decision and, for allowed queries, the rewritten Spark SQL. "
                    + "Exit code 0 when allowed, 1 when refused. Policies must declare column types.")
    static final class Check implements Callable<Integer> {

        @Mixin
        PolicyFolderOptions folder;

        @Option(names = "--sql", required = true, description = "The query, in Spark SQL.")
        String sql;

        @Option(names = "--json", description = "Print the decision as one JSON object.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            PolicyDirectory policies = PolicyDirectory.load(folder.policyDir, new PolicyParser(CryptoProfile.of(CryptoProfile.Kind.SM)));
            ScenarioPolicy policy = policies.scenario(folder.scenario());
            Scenario chosen = policies.guardScenario(policy);
            Decision decision = new QueryGuard(policies).check(sql, chosen);
            // the dry run's cost: what running it would spend, from the scenario's per-query parameters
            Optional<PrivacyLoss> cost = decision.dpQuery().map(q -> BudgetSplit.of(q, DpReleases.budgetOf(policy)).charged());
            if (json) {
                Map<String, Object> out = toJson(decision);
                out.put("mode", chosen.outputMode().name().toLowerCase(java.util.Locale.ROOT));
                cost.ifPresent(c -> {
                    out.put("epsilon", c.epsilon());
                    out.put("delta", c.delta());
                });
                System.out.println(new ObjectMapper().writeValueAsString(out));
            } else {
                print(decision, chosen);
                cost.ifPresent(c -> System.out.printf(java.util.Locale.ROOT, "Cost:     epsilon %.4g, delta %.4g "
                        + "(DP mode; nothing when the same query was released before)%n", c.epsilon(), c.delta()));
            }
            return decision.isAllowed() ? 0 : 1;
        }

        private static void print(Decision decision, Scenario scenario) {
            System.out.println("Decision: " + decision.outcome() + "  (scenario " + scenario.id()
                    + (scenario.outputMode() == org.datasandbox.guard.catalog.OutputMode.DP ? ", DP mode)"
                    : ", k = " + scenario.minGroupSize() + ")"));
            decision.firstViolation().ifPresent(v -> {
                System.out.println("Rule:     " + v.rule());
                System.out.println("Where:    " + v.position());
                System.out.println("Reason:   " + v.rule().summary() + ": " + v.detail());
                v.suggestion().ifPresent(s -> System.out.println("Try:      " + s));
                decision.violations().stream().skip(1).forEach(more ->
                        System.out.println("Also:     " + more.rule() + " at " + more.position() + ": " + more.detail()));
            });
            if (decision.isAllowed()) {
                System.out.println("Rewrites: " + (decision.rewrites().isEmpty() ? "none"
                        : decision.rewrites().stream().map(r -> r + " (" + r.summary() + ")").toList()));
            }
            System.out.println("Outputs:  " + decision.outputColumns().stream().sorted().toList());
            System.out.println("Reads:    " + decision.filterColumns().stream().sorted().toList());
            decision.rewrittenSql().ifPresent(s -> System.out.println("Spark SQL:\n" + s));
        }

        private static Map<String, Object> toJson(Decision decision) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("decision", decision.outcome().name());
            Optional<Violation> first = decision.firstViolation();
            out.put("rule", first.map(v -> v.rule().name()).orElse(null));
            out.put("message", first.map(Violation::message).orElse("allowed"));
            out.put("line", first.map(v -> v.position().line()).orElse(null));
            out.put("column", first.map(v -> v.position().column()).orElse(null));
            out.put("suggestion", first.flatMap(Violation::suggestion).orElse(null));
            out.put("rewrites", decision.rewrites().stream().map(Enum::name).toList());
            out.put("outputColumns", decision.outputColumns().stream().map(Object::toString).sorted().toList());
            out.put("filterColumns", decision.filterColumns().stream().map(Object::toString).sorted().toList());
            out.put("rewrittenSql", decision.rewrittenSql().orElse(null));
            return out;
        }
    }
}
