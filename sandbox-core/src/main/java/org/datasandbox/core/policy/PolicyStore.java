package org.datasandbox.core.policy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every applied version of every policy, as the admin wrote it, in its {@link PolicyRecords}: files under the data
 * directory ({@code tables/<table>/v<N>.yaml} and {@code scenarios/<id>/v<N>.yaml}) by default, or the shared
 * metadata database. The newest version is in force; older ones stay as evidence. The end of each scenario
 * version's term is kept beside it: the document need not state it, and a stored document without one (applied
 * before terms existed) gets the longest term from its first load. When the records are shared with other
 * servers, every read first checks their generation and reloads what changed, so a policy applied on one server
 * is in force on the others at their next read.
 */
public final class PolicyStore {
    private final PolicyRecords records;
    private final PolicyParser parser;
    private final ScenarioTerms terms;
    private final List<String> termsAssigned = new java.util.ArrayList<>();
    /** What this server holds, replaced whole on a reload. */
    private volatile Snapshot snapshot = new Snapshot(Map.of(), Map.of(), java.util.Set.of(), Long.MIN_VALUE);

    /** The policies in force and the ended scenarios, as of one generation of the records. */
    private record Snapshot(Map<String, TablePolicy> tables, Map<String, ScenarioPolicy> scenarios,
                            java.util.Set<String> ended, long generation) {
    }

    private PolicyStore(PolicyRecords records, PolicyParser parser, ScenarioTerms terms) {
        this.records = records;
        this.parser = parser;
        this.terms = terms;
    }

    public static PolicyStore open(Path dir, PolicyParser parser) throws IOException {
        return open(dir, parser, new ScenarioTerms(java.time.Clock.systemUTC()));
    }

    public static PolicyStore open(Path dir, PolicyParser parser, ScenarioTerms terms) throws IOException {
        return over(FilePolicyRecords.open(dir), parser, terms);
    }

    /** The store over any records (the shared metadata database), loaded now. */
    public static PolicyStore over(PolicyRecords records, PolicyParser parser, ScenarioTerms terms) throws IOException {
        PolicyStore store = new PolicyStore(records, parser, terms);
        store.reload();
        return store;
    }

    public Optional<TablePolicy> table(String name) {
        return Optional.ofNullable(current().tables().get(name));
    }

    public Optional<ScenarioPolicy> scenario(String id) {
        return Optional.ofNullable(current().scenarios().get(id));
    }

    public List<ScenarioPolicy> scenarios() {
        return List.copyOf(current().scenarios().values());
    }

    /** The clock and rules of scenario terms, for every use of a scenario to check it is in force. */
    public ScenarioTerms terms() {
        return terms;
    }

    /** Whether a scenario is in force today: its term runs and its authorization was not ended. */
    public boolean inForce(ScenarioPolicy scenario) {
        return !current().ended().contains(scenario.id()) && scenario.inForceOn(terms.today());
    }

    /** Refuses a scenario out of force (see {@link ScenarioTerms#requireInForce}); an ended one stays so for good. */
    public void requireInForce(ScenarioPolicy scenario) {
        if (current().ended().contains(scenario.id())) {
            throw new org.datasandbox.core.SandboxException(org.datasandbox.core.ErrorCode.SCENARIO_EXPIRED,
                    "Scenario '" + scenario.id() + "' has ended (" + scenario.expires() + "): its authorization is over; "
                            + "apply for a new one", Map.of("scenario", scenario.id(), "expires", String.valueOf(scenario.expires())));
        }
        terms.requireInForce(scenario);
    }

    /** Whether a scenario's authorization was ended (terminated, or ended at the end of its term). */
    public boolean isEnded(String id) {
        return current().ended().contains(id);
    }

    /** Scenarios whose stored version had no term when the store opened, and got the longest one then. */
    public synchronized List<String> termsAssignedOnOpen() {
        return List.copyOf(termsAssigned);
    }

    /** Stores a new version of a table policy and puts it in force; returns it with its version. */
    public synchronized TablePolicy put(TablePolicy policy, String text) throws IOException {
        int version = records.append(PolicyRecords.Kind.TABLE, policy.table(), text, null);
        TablePolicy versioned = policy.withVersion(version);
        Snapshot held = current();
        Map<String, TablePolicy> tables = new java.util.HashMap<>(held.tables());
        tables.put(policy.table(), versioned);
        snapshot = new Snapshot(Map.copyOf(tables), held.scenarios(), held.ended(), held.generation());
        return versioned;
    }

    /**
     * Stores a new version of a scenario with the end of its term: the one it carries (see {@link
     * ScenarioTerms#termOf}, which checks a stated end), or the longest term from today.
     */
    public synchronized ScenarioPolicy put(ScenarioPolicy scenario, String text) throws IOException {
        java.time.LocalDate end = scenario.expires() == null ? terms.latestEnd() : scenario.expires();
        int version = records.append(PolicyRecords.Kind.SCENARIO, scenario.id(), text, end);
        ScenarioPolicy versioned = scenario.withVersion(version).withExpires(end);
        hold(versioned, false);
        return versioned;
    }

    /**
     * Ends a scenario's term today (termination): the current version's stored end becomes today, so that it is
     * out of force at once and stays so after a restart. Returns it as ended; empty when there is no such scenario.
     */
    public synchronized Optional<ScenarioPolicy> terminate(String id) throws IOException {
        ScenarioPolicy current = current().scenarios().get(id);
        if (current == null) {
            return Optional.empty();
        }
        java.time.LocalDate today = terms.today();
        java.time.LocalDate end = current.expires() != null && current.expires().isBefore(today) ? current.expires() : today;
        records.term(id, current.version(), end);
        records.end(id, end);
        ScenarioPolicy endedScenario = current.withExpires(end);
        hold(endedScenario, true);
        return Optional.of(endedScenario);
    }

    /**
     * Puts what was just stored in force here at once, as stored (the generation is left as it was: where others
     * share the records, the next read reloads everything, this write included).
     */
    private void hold(ScenarioPolicy scenario, boolean ended) {
        Snapshot held = current();
        Map<String, ScenarioPolicy> scenarios = new java.util.HashMap<>(held.scenarios());
        scenarios.put(scenario.id(), scenario);
        java.util.Set<String> endedIds = new java.util.HashSet<>(held.ended());
        if (ended) {
            endedIds.add(scenario.id());
        }
        snapshot = new Snapshot(held.tables(), Map.copyOf(scenarios), java.util.Set.copyOf(endedIds), held.generation());
    }

    /** The snapshot, reloaded first when another server changed the records. */
    private Snapshot current() {
        Snapshot held = snapshot;
        try {
            long generation = records.generation();
            if (generation != held.generation()) {
                synchronized (this) {
                    if (snapshot.generation() != generation) { // not reloaded by another thread meanwhile
                        reload();
                    }
                }
                return snapshot;
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("the policy store cannot be read", e);
        }
        return held;
    }

    /** Reads the newest version of everything; the generation is read first, so a write in between reloads again. */
    private synchronized void reload() throws IOException {
        long generation = records.generation();
        Map<String, TablePolicy> tables = new java.util.HashMap<>();
        Map<String, ScenarioPolicy> scenarios = new java.util.HashMap<>();
        java.util.Set<String> ended = new java.util.HashSet<>();
        for (PolicyRecords.Stored stored : records.latest(PolicyRecords.Kind.TABLE)) {
            parse(stored).table().ifPresent(t -> tables.put(t.table(), t.withVersion(stored.version())));
        }
        for (PolicyRecords.Stored stored : records.latest(PolicyRecords.Kind.SCENARIO)) {
            var parsed = parse(stored).scenario();
            if (parsed.isPresent()) {
                ScenarioPolicy scenario = parsed.get().withVersion(stored.version()).withExpires(term(stored));
                scenarios.put(scenario.id(), scenario);
                if (stored.ended()) {
                    ended.add(scenario.id());
                }
            }
        }
        snapshot = new Snapshot(Map.copyOf(tables), Map.copyOf(scenarios), java.util.Set.copyOf(ended), generation);
    }

    /** The stored end of a version's term; a version stored without one gets the longest term now. */
    private java.time.LocalDate term(PolicyRecords.Stored stored) throws IOException {
        if (stored.term().isPresent()) {
            return stored.term().get();
        }
        java.time.LocalDate assigned = terms.latestEnd();
        records.term(stored.name(), stored.version(), assigned);
        termsAssigned.add(stored.name());
        return assigned;
    }

    private PolicyParser.Parsed parse(PolicyRecords.Stored stored) throws IOException {
        try {
            return parser.parse(stored.text());
        } catch (PolicyException e) {
            throw new IOException("stored policy " + stored.name() + " v" + stored.version() + " no longer parses", e);
        }
    }
}
