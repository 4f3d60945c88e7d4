package org.datasandbox.core.report;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.datasandbox.core.ledger.LedgerEntry;

/**
 * Which scenario, and so which operator, each ledger entry belongs to, from the ledger alone. An entry names its
 * scenario in {@code details.scenario}, or by its subject (a job id that {@code job.submitted} tied to a scenario, a
 * release request that {@code release.held} tied to one, a scenario id for {@code authorization.ended} and {@code
 * scenario.*}), or through {@code details.job}. The operator of a scenario is the organization of the application it
 * came from ({@code application.*} entries); a scenario an admin applied as YAML has none ({@link #NO_OPERATOR}).
 * Entries of no scenario (calls, certificates, uploads) belong to nobody's report row.
 */
public final class LedgerAttribution {
    public static final String NO_OPERATOR = "-";
    private final Map<String, String> jobScenario = new HashMap<>();
    private final Map<String, String> requestScenario = new HashMap<>();
    private final Map<String, String> scenarioOperator = new HashMap<>();

    public LedgerAttribution(List<LedgerEntry> entries) {
        for (LedgerEntry entry : entries) {
            String scenario = entry.details().get("scenario");
            if (scenario == null) {
                continue;
            }
            switch (entry.action()) {
                case "job.submitted" -> jobScenario.putIfAbsent(entry.subject(), scenario);
                case "release.held" -> requestScenario.putIfAbsent(entry.subject(), scenario);
                default -> {
                    String organization = entry.details().get("organization");
                    boolean named = organization != null && !organization.isBlank();
                    if (named && (entry.action().equals("application.approved")
                            || entry.action().equals("application.narrowed"))) {
                        scenarioOperator.put(scenario, organization); // the approved application's organization wins
                    } else if (named && entry.action().equals("application.filed")) {
                        scenarioOperator.putIfAbsent(scenario, organization);
                    }
                }
            }
        }
    }

    /** The scenario of an entry, or the empty string. */
    public String scenario(LedgerEntry entry) {
        String named = entry.details().get("scenario");
        if (named != null) {
            return named;
        }
        String action = entry.action();
        if (action.equals("authorization.ended") || action.startsWith("scenario.")) {
            return entry.subject();
        }
        String job = entry.details().get("job");
        if (job != null && jobScenario.containsKey(job)) {
            return jobScenario.get(job);
        }
        if (action.startsWith("release.") && requestScenario.containsKey(entry.subject())) {
            return requestScenario.get(entry.subject());
        }
        if ((action.startsWith("job.") || action.equals("result.fetched") || action.equals("guard.decision"))
                && jobScenario.containsKey(entry.subject())) {
            return jobScenario.get(entry.subject());
        }
        return "";
    }

    /** The operator (organization) of a scenario, or {@link #NO_OPERATOR}. */
    public String operator(String scenario) {
        return scenarioOperator.getOrDefault(scenario, NO_OPERATOR);
    }
}
