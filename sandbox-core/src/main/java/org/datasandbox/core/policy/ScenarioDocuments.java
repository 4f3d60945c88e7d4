package org.datasandbox.core.policy;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Scenario documents the sandbox writes on an admin's behalf (an approved application), through the same file
 * model the parser reads: what is applied is an ordinary scenario YAML, stored, versioned and checked like one
 * an admin wrote.
 */
public final class ScenarioDocuments {
    private ScenarioDocuments() {
    }

    /**
     * A scenario document.
     *
     * @param mode        {@code threshold} (with {@code k}) or {@code dp} (its per-query defaults)
     * @param epsilon     the lifetime budget per table (delta the default)
     * @param expires     the first day the scenario is no longer in force
     */
    public static String write(String id, String purpose, List<String> developers, Map<String, Set<String>> grants,
                               String mode, int k, double epsilon, LocalDate expires, String comment) {
        LinkedHashMap<String, List<String>> columns = new LinkedHashMap<>();
        new TreeMap<>(grants).forEach((table, granted) -> columns.put(table, List.copyOf(new TreeSet<>(granted))));
        // dp: each query spends the default epsilon 1, or the whole budget when that is smaller
        PolicyFile.Output output = mode.equals("dp") ? new PolicyFile.Output("dp", null, null, null,
                new java.math.BigDecimal(Double.toString(Math.min(1.0, epsilon))), null, null, null)
                : new PolicyFile.Output("threshold", k, null);
        PolicyFile.Scenario scenario = new PolicyFile.Scenario(PolicyParser.SCENARIO_KIND, id, purpose, developers,
                columns, output, new PolicyFile.Budget(epsilon, null), expires.toString());
        return "# " + comment.replace('\n', ' ') + "\n" + PolicyYaml.write(scenario);
    }
}
