package org.datasandbox.core.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Every applied version of every policy, as the admin wrote it: {@code tables/<table>/v<N>.yaml} and
 * {@code scenarios/<id>/v<N>.yaml}. The newest version is in force; older ones stay as evidence. The end of
 * each scenario version's term is kept beside it ({@code v<N>.term}, a date): the document need not state it,
 * and a stored document without one (applied before terms existed) gets the longest term from its first load.
 */
public final class PolicyStore {
    private final Path dir;
    private final PolicyParser parser;
    private final Map<String, TablePolicy> tables = new ConcurrentHashMap<>();
    private final Map<String, ScenarioPolicy> scenarios = new ConcurrentHashMap<>();
    private final ScenarioTerms terms;
    private final List<String> termsAssigned = new java.util.ArrayList<>();
    /** Scenarios whose authorization ended: marked by an {@code ended} file in their folder, never undone. */
    private final java.util.Set<String> ended = ConcurrentHashMap.newKeySet();

    private PolicyStore(Path dir, PolicyParser parser, ScenarioTerms terms) {
        this.dir = dir;
        this.parser = parser;
        this.terms = terms;
    }

    public static PolicyStore open(Path dir, PolicyParser parser) throws IOException {
        return open(dir, parser, new ScenarioTerms(java.time.Clock.systemUTC()));
    }

    public static PolicyStore open(Path dir, PolicyParser parser, ScenarioTerms terms) throws IOException {
        PolicyStore store = new PolicyStore(dir, parser, terms);
        Files.createDirectories(dir.resolve("tables"));
        Files.createDirectories(dir.resolve("scenarios"));
        store.loadLatest();
        return store;
    }

    public Optional<TablePolicy> table(String name) {
        return Optional.ofNullable(tables.get(name));
    }

    public Optional<ScenarioPolicy> scenario(String id) {
        return Optional.ofNullable(scenarios.get(id));
    }

    public List<ScenarioPolicy> scenarios() {
        return List.copyOf(scenarios.values());
    }

    /** The clock and rules of scenario terms, for every use of a scenario to check it is in force. */
    public ScenarioTerms terms() {
        return terms;
    }

    /** Whether a scenario is in force today: its term runs and its authorization was not ended. */
    public boolean inForce(ScenarioPolicy scenario) {
        return !ended.contains(scenario.id()) && scenario.inForceOn(terms.today());
    }

    /** Refuses a scenario out of force (see {@link ScenarioTerms#requireInForce}); an ended one stays so for good. */
    public void requireInForce(ScenarioPolicy scenario) {
        if (ended.contains(scenario.id())) {
            throw new org.datasandbox.core.SandboxException(org.datasandbox.core.ErrorCode.SCENARIO_EXPIRED,
                    "Scenario '" + scenario.id() + "' has ended (" + scenario.expires() + "): its authorization is over; "
                            + "apply for a new one", Map.of("scenario", scenario.id(), "expires", String.valueOf(scenario.expires())));
        }
        terms.requireInForce(scenario);
    }

    /** Whether a scenario's authorization was ended (terminated, or ended at the end of its term). */
    public boolean isEnded(String id) {
        return ended.contains(id);
    }

    /** Scenarios whose stored version had no term when the store opened, and got the longest one then. */
    public List<String> termsAssignedOnOpen() {
        return List.copyOf(termsAssigned);
    }

    /** Stores a new version of a table policy and puts it in force; returns it with its version. */
    public synchronized TablePolicy put(TablePolicy policy, String text) throws IOException {
        int version = write(dir.resolve("tables").resolve(policy.table()), text);
        TablePolicy versioned = policy.withVersion(version);
        tables.put(policy.table(), versioned);
        return versioned;
    }

    /**
     * Stores a new version of a scenario with the end of its term: the one it carries (see {@link
     * ScenarioTerms#termOf}, which checks a stated end), or the longest term from today.
     */
    public synchronized ScenarioPolicy put(ScenarioPolicy scenario, String text) throws IOException {
        java.time.LocalDate end = scenario.expires() == null ? terms.latestEnd() : scenario.expires();
        Path folder = dir.resolve("scenarios").resolve(scenario.id());
        int version = write(folder, text);
        writeTerm(folder, version, end);
        ScenarioPolicy versioned = scenario.withVersion(version).withExpires(end);
        scenarios.put(scenario.id(), versioned);
        return versioned;
    }

    private static int write(Path folder, String text) throws IOException {
        Files.createDirectories(folder);
        int version = latestVersion(folder) + 1;
        Path temp = Files.createTempFile(folder, ".policy", ".tmp");
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        Files.move(temp, folder.resolve("v" + version + ".yaml"), StandardCopyOption.ATOMIC_MOVE);
        return version;
    }

    private void loadLatest() throws IOException {
        for (Path folder : list(dir.resolve("tables"))) {
            int version = latestVersion(folder);
            if (version > 0) {
                parse(folder, version).table().ifPresent(t -> tables.put(t.table(), t.withVersion(version)));
            }
        }
        for (Path folder : list(dir.resolve("scenarios"))) {
            int version = latestVersion(folder);
            if (version > 0) {
                var parsed = parse(folder, version).scenario();
                if (parsed.isPresent()) {
                    ScenarioPolicy scenario = parsed.get().withVersion(version).withExpires(term(folder, version));
                    scenarios.put(scenario.id(), scenario);
                    if (Files.exists(folder.resolve("ended"))) {
                        ended.add(scenario.id());
                    }
                }
            }
        }
    }

    /**
     * Ends a scenario's term today (termination): the current version's stored end becomes today, so that it is
     * out of force at once and stays so after a restart. Returns it as ended; empty when there is no such scenario.
     */
    public synchronized Optional<ScenarioPolicy> terminate(String id) throws IOException {
        ScenarioPolicy current = scenarios.get(id);
        if (current == null) {
            return Optional.empty();
        }
        java.time.LocalDate today = terms.today();
        java.time.LocalDate end = current.expires() != null && current.expires().isBefore(today) ? current.expires() : today;
        Path folder = dir.resolve("scenarios").resolve(id);
        Files.deleteIfExists(folder.resolve("v" + current.version() + ".term"));
        writeTerm(folder, current.version(), end);
        Files.writeString(folder.resolve("ended"), end.toString(), StandardCharsets.UTF_8);
        ended.add(id);
        ScenarioPolicy endedScenario = current.withExpires(end);
        scenarios.put(id, endedScenario);
        return Optional.of(endedScenario);
    }

    private static void writeTerm(Path folder, int version, java.time.LocalDate expires) throws IOException {
        Path temp = Files.createTempFile(folder, ".term", ".tmp");
        Files.writeString(temp, expires.toString(), StandardCharsets.UTF_8);
        Files.move(temp, folder.resolve("v" + version + ".term"), StandardCopyOption.ATOMIC_MOVE);
    }

    /** The stored end of a version's term; a version stored without one gets the longest term now. */
    private java.time.LocalDate term(Path folder, int version) throws IOException {
        Path file = folder.resolve("v" + version + ".term");
        if (Files.exists(file)) {
            try {
                return java.time.LocalDate.parse(Files.readString(file, StandardCharsets.UTF_8).strip());
            } catch (java.time.format.DateTimeParseException e) {
                throw new IOException("stored term of scenario " + folder.getFileName() + " v" + version + " is not a date");
            }
        }
        java.time.LocalDate assigned = terms.latestEnd();
        writeTerm(folder, version, assigned);
        termsAssigned.add(folder.getFileName().toString());
        return assigned;
    }

    private PolicyParser.Parsed parse(Path folder, int version) throws IOException {
        try {
            return parser.parse(Files.readString(folder.resolve("v" + version + ".yaml")));
        } catch (PolicyException e) {
            throw new IOException("stored policy " + folder.getFileName() + " v" + version + " no longer parses", e);
        }
    }

    private static List<Path> list(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(Files::isDirectory).toList();
        }
    }

    private static int latestVersion(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.matches("v\\d+\\.yaml"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.length() - 5)))
                    .max().orElse(0);
        }
    }
}
