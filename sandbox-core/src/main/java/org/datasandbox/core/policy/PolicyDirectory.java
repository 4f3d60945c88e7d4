package org.datasandbox.core.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.datasandbox.core.SandboxException;
import org.datasandbox.core.ErrorCode;
import org.datasandbox.guard.catalog.GuardCatalog;
import org.datasandbox.guard.catalog.GuardColumn;
import org.datasandbox.guard.catalog.GuardTable;
import org.datasandbox.guard.catalog.JoinKey;
import org.datasandbox.guard.catalog.Scenario;

/**
 * A folder of policy files (table policies and scenarios, {@code *.yaml}), as policy authors keep them
 * in version control; YAML files that do not declare a policy {@code kind} (drafts kept aside, other
 * tools' configuration) are left alone. It can stand in for the sandbox catalog when the policies declare column types,
 * which is how {@code sandbox guard check} judges a query without any data.
 */
public final class PolicyDirectory implements GuardCatalog {
    /** The scenario used when a folder declares none: every table and column, one batch developer. */
    public static final String DEFAULT_SCENARIO = "all-tables";
    public static final String DEFAULT_DEVELOPER = "Batch Runner";

    /** One file of the folder: its text and what it parsed to. */
    public record Document(String file, String text, PolicyParser.Parsed parsed) {
    }

    private final Map<String, TablePolicy> tables = new LinkedHashMap<>();
    private final Map<String, ScenarioPolicy> scenarios = new LinkedHashMap<>();
    private final List<Document> documents = new ArrayList<>();

    private PolicyDirectory() {
    }

    public static PolicyDirectory load(Path dir, PolicyParser parser) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new SandboxException(ErrorCode.NOT_FOUND, "policy folder " + dir + " not found");
        }
        PolicyDirectory loaded = new PolicyDirectory();
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(f -> f.getFileName().toString().endsWith(".yaml")
                    || f.getFileName().toString().endsWith(".yml")).sorted().toList();
        }
        for (Path file : files) {
            String text = Files.readString(file);
            if (!PolicyParser.isPolicy(text)) {
                continue; // drafts, CI configuration and other YAML may sit next to the policies
            }
            PolicyParser.Parsed parsed;
            try {
                parsed = parser.parse(text);
            } catch (PolicyException e) {
                throw new SandboxException(ErrorCode.INVALID_POLICY, e.describe(file.getFileName().toString()),
                        java.util.Map.of("line", Integer.toString(e.line()), "column", Integer.toString(e.column())));
            }
            parsed.table().ifPresent(t -> loaded.tables.put(t.table(), t));
            parsed.scenario().ifPresent(s -> loaded.scenarios.put(s.id(), s));
            loaded.documents.add(new Document(file.getFileName().toString(), text, parsed));
        }
        if (loaded.tables.isEmpty()) {
            throw new SandboxException(ErrorCode.INVALID_POLICY, "no table policy in " + dir);
        }
        return loaded;
    }

    public Map<String, TablePolicy> tables() {
        return tables;
    }

    /** Every file, table policies first: the order in which to apply them. */
    public List<Document> documentsInApplyOrder() {
        List<Document> ordered = new ArrayList<>();
        documents.stream().filter(d -> d.parsed().table().isPresent()).forEach(ordered::add);
        documents.stream().filter(d -> d.parsed().scenario().isPresent()).forEach(ordered::add);
        return ordered;
    }

    /** The named scenario, the folder's only one, or one that grants everything in the folder. */
    public ScenarioPolicy scenario(Optional<String> id) {
        if (id.isPresent()) {
            ScenarioPolicy named = scenarios.get(id.get());
            if (named == null) {
                throw SandboxException.notFound("scenario '" + id.get() + "'");
            }
            return named;
        }
        if (scenarios.size() == 1) {
            return scenarios.values().iterator().next();
        }
        if (!scenarios.isEmpty()) {
            throw SandboxException.invalid("the folder has several scenarios; choose one with --scenario");
        }
        Map<String, Set<String>> grants = new LinkedHashMap<>();
        tables.keySet().forEach(t -> grants.put(t, Set.of("*")));
        int k = tables.values().stream().mapToInt(TablePolicy::minGroupSize).max().orElse(10);
        return new ScenarioPolicy(DEFAULT_SCENARIO, "every table of the policy folder", List.of(DEFAULT_DEVELOPER),
                grants, k, org.datasandbox.guard.catalog.Scenario.SmallGroups.SUPPRESS, ScenarioPolicy.DEFAULT_BUDGET, 1, "");
    }

    /** What the guard enforces for a scenario of this folder. */
    public Scenario guardScenario(ScenarioPolicy policy) {
        return GuardScenarios.of(policy, this, t -> Optional.ofNullable(tables.get(t)));
    }

    @Override
    public Optional<GuardTable> table(String name) {
        TablePolicy policy = tables.get(name.toLowerCase(java.util.Locale.ROOT));
        if (policy == null) {
            return Optional.empty();
        }
        List<GuardColumn> columns = new ArrayList<>();
        for (ColumnPolicy column : policy.columns()) {
            var type = column.type().orElseThrow(() -> SandboxException.invalid("column " + policy.table() + "."
                    + column.name() + " has no type in its policy; add one, or check against registered data"));
            columns.add(new GuardColumn(column.name(), type, column.role(), column.bounds(), column.bucketing(),
                    column.values()));
        }
        // as declared: the sandbox verifies the declaration when the policy meets the data
        return Optional.of(new GuardTable(policy.table(), columns, policy.oneRowPerUnit()));
    }

    @Override
    public List<JoinKey> joinKeys() {
        return tables.values().stream().flatMap(t -> t.joins().stream()).toList();
    }
}
