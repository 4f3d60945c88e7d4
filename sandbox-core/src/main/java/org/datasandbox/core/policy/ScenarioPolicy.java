package org.datasandbox.core.policy;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.datasandbox.dp.accounting.LifetimeBudget;
import org.datasandbox.guard.catalog.OutputMode;
import org.datasandbox.guard.catalog.Scenario;

/**
 * An approved application scenario: its purpose, the developers who may use it (real names as on
 * their certificates), the tables and columns it grants ({@code *} for all) and its output rule: k, and
 * whether groups below k are suppressed or merged into one remainder group. {@code budget} is the lifetime
 * privacy budget of each granted table under this scenario, shared by its synthetic samples and DP releases.
 * {@code mode} is how output leaves: {@link OutputMode#THRESHOLD} (k and small groups apply) or
 * {@link OutputMode#DP} ({@code dp} gives each query's epsilon/delta and the contribution bounds). {@code review}
 * says which outputs wait for reviewers: in review mode ({@code output: {mode: review}}) the guard treats the
 * scenario as threshold mode and every output is held for review.
 * {@code expires} ends the scenario's term (Art. 9, at most 3 years): the first day it is no longer in force;
 * null only before the {@link PolicyStore} has given a document that states none its default term.
 */
public record ScenarioPolicy(String id, String purpose, List<String> developers, Map<String, Set<String>> grants,
                             int minGroupSize, Scenario.SmallGroups smallGroups, LifetimeBudget budget,
                             int version, String sha, OutputMode mode, DpOutput dp, ReviewPolicy review,
                             LocalDate expires) {
    /** The lifetime budget of a scenario that states none. */
    public static final LifetimeBudget DEFAULT_BUDGET = new LifetimeBudget(10, 1e-5);

    public ScenarioPolicy {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(purpose, "purpose");
        developers = List.copyOf(developers);
        grants = Map.copyOf(grants);
        Objects.requireNonNull(smallGroups, "smallGroups");
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(sha, "sha");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(dp, "dp");
        Objects.requireNonNull(review, "review");
    }

    /** A scenario with review settings whose term is not set yet (the store sets it when it is applied). */
    public ScenarioPolicy(String id, String purpose, List<String> developers, Map<String, Set<String>> grants,
                          int minGroupSize, Scenario.SmallGroups smallGroups, LifetimeBudget budget, int version,
                          String sha, OutputMode mode, DpOutput dp, ReviewPolicy review) {
        this(id, purpose, developers, grants, minGroupSize, smallGroups, budget, version, sha, mode, dp, review,
                (LocalDate) null);
    }

    /** A scenario without review settings (defaults), with its term. */
    public ScenarioPolicy(String id, String purpose, List<String> developers, Map<String, Set<String>> grants,
                          int minGroupSize, Scenario.SmallGroups smallGroups, LifetimeBudget budget, int version,
                          String sha, OutputMode mode, DpOutput dp, LocalDate expires) {
        this(id, purpose, developers, grants, minGroupSize, smallGroups, budget, version, sha, mode, dp,
                ReviewPolicy.DEFAULT, expires);
    }

    /** A scenario without review settings (defaults) whose term is not set yet. */
    public ScenarioPolicy(String id, String purpose, List<String> developers, Map<String, Set<String>> grants,
                          int minGroupSize, Scenario.SmallGroups smallGroups, LifetimeBudget budget, int version,
                          String sha, OutputMode mode, DpOutput dp) {
        this(id, purpose, developers, grants, minGroupSize, smallGroups, budget, version, sha, mode, dp,
                ReviewPolicy.DEFAULT, (LocalDate) null);
    }

    /** A threshold-mode scenario. */
    public ScenarioPolicy(String id, String purpose, List<String> developers, Map<String, Set<String>> grants,
                          int minGroupSize, Scenario.SmallGroups smallGroups, LifetimeBudget budget, int version,
                          String sha) {
        this(id, purpose, developers, grants, minGroupSize, smallGroups, budget, version, sha, OutputMode.THRESHOLD,
                DpOutput.DEFAULT);
    }

    /** The output mode as the policy names it: {@code review}, {@code threshold} or {@code dp}. */
    public String modeLabel() {
        return review.everyOutput() ? "review" : mode.name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean admits(String developerName) {
        return developers.contains(developerName);
    }

    public ScenarioPolicy withVersion(int newVersion) {
        return new ScenarioPolicy(id, purpose, developers, grants, minGroupSize, smallGroups, budget, newVersion, sha,
                mode, dp, review, expires);
    }

    public ScenarioPolicy withExpires(LocalDate newExpires) {
        return new ScenarioPolicy(id, purpose, developers, grants, minGroupSize, smallGroups, budget, version, sha,
                mode, dp, review, newExpires);
    }

    /** Whether the term still runs on this day (UTC); a term not set yet is the store's to set, not a refusal. */
    public boolean inForceOn(LocalDate today) {
        return expires == null || today.isBefore(expires);
    }
}
