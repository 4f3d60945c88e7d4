package org.datasandbox.core.job;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.datasandbox.core.ErrorCode;
import org.datasandbox.core.SandboxException;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.identity.Identity;
import org.datasandbox.core.ledger.EvidenceLedger;
import org.datasandbox.core.policy.PolicyStore;
import org.datasandbox.core.policy.SandboxGuardCatalog;
import org.datasandbox.core.policy.ScenarioPolicy;
import org.datasandbox.guard.QueryGuard;
import org.datasandbox.guard.catalog.Scenario;
import org.datasandbox.guard.explain.Decision;
import org.datasandbox.guard.explain.Violation;

/**
 * Every query passes here before anything runs: the developer must belong to the scenario, the guard
 * decides, and the decision is recorded in the ledger with the SQL's hash (never its text, which may hold
 * literals) and the columns it outputs and only reads.
 */
public final class GuardGate {
    private final QueryGuard guard;
    private final SandboxGuardCatalog catalog;
    private final PolicyStore policies;
    private final EvidenceLedger ledger;
    private final CryptoProfile crypto;

    public GuardGate(SandboxGuardCatalog catalog, PolicyStore policies, EvidenceLedger ledger, CryptoProfile crypto) {
        this.guard = new QueryGuard(catalog);
        this.catalog = catalog;
        this.policies = policies;
        this.ledger = ledger;
        this.crypto = crypto;
    }

    /** An allowed query with the scenario it runs under. */
    public record Checked(Scenario scenario, Decision decision, String sqlHash) {
    }

    /**
     * Checks a query for a developer under a scenario.
     *
     * @param subject what the decision belongs to in the ledger: a job id, or "dev-run"
     * @throws SandboxException when the scenario is unknown to the developer or the guard refuses
     */
    public Checked check(Identity developer, String scenarioId, String sql, String subject) {
        ScenarioPolicy policy = policies.scenario(scenarioId == null ? "" : scenarioId)
                .filter(s -> s.admits(developer.name()))
                .orElseThrow(() -> SandboxException.notFound("scenario '" + scenarioId + "'"));
        policies.requireInForce(policy); // after the membership check: outsiders learn nothing of its term
        Scenario scenario = catalog.scenario(policy);
        Decision decision = guard.check(sql == null ? "" : sql, scenario);
        String sqlHash = hash(sql == null ? "" : sql);
        record(developer, subject, scenario, decision, sqlHash);
        if (!decision.isAllowed()) {
            throw denial(decision);
        }
        return new Checked(scenario, decision, sqlHash);
    }

    public String hash(String text) {
        return HexFormat.of().formatHex(crypto.hash(text.getBytes(StandardCharsets.UTF_8)));
    }

    private void record(Identity developer, String subject, Scenario scenario, Decision decision, String sqlHash) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("scenario", scenario.id());
        details.put("sqlHash", sqlHash);
        details.put("decision", decision.outcome().name());
        decision.firstViolation().ifPresent(v -> details.put("rule", v.rule().name()));
        details.put("rewrites", decision.rewrites().stream().map(Enum::name).collect(Collectors.joining(",")));
        details.put("outputColumns", decision.outputColumns().stream().map(Object::toString).sorted().collect(Collectors.joining(",")));
        details.put("filterColumns", decision.filterColumns().stream().map(Object::toString).sorted().collect(Collectors.joining(",")));
        details.put("tables", String.join(",", decision.tables()));
        details.put("k", Integer.toString(scenario.minGroupSize()));
        ledger.append(developer, "guard.decision", subject, details);
    }

    /** The refusal as the caller sees it: rule id, reason, position and suggestion, in message and details. */
    static SandboxException denial(Decision decision) {
        Violation violation = decision.firstViolation().orElseThrow();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("rule", violation.rule().name());
        details.put("line", Integer.toString(violation.position().line()));
        details.put("column", Integer.toString(violation.position().column()));
        violation.suggestion().ifPresent(s -> details.put("suggestion", s));
        String suggestion = violation.suggestion().map(s -> " Try: " + s + ".").orElse("");
        return switch (violation.rule().category()) {
            case INVALID_QUERY -> new SandboxException(ErrorCode.INVALID_SQL,
                    "Invalid query [" + violation.rule() + "]: " + violation.message(), details);
            case NOT_FOUND -> new SandboxException(ErrorCode.NOT_FOUND,
                    "Not found [" + violation.rule() + "]: " + violation.message(), details);
            case POLICY_DENIED, REWRITE -> new SandboxException(ErrorCode.POLICY_DENIED,
                    "Policy denied [" + violation.rule() + "]: " + violation.message() + "." + suggestion, details);
        };
    }
}
