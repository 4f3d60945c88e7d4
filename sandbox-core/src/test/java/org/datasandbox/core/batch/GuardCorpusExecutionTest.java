package org.datasandbox.core.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.datasandbox.core.TestSandbox;
import org.datasandbox.core.config.SandboxConfig;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.demodata.HubeiDemoData;
import org.datasandbox.core.policy.ColumnPolicy;
import org.datasandbox.core.policy.PolicyDirectory;
import org.datasandbox.core.policy.PolicyParser;
import org.datasandbox.core.policy.TablePolicy;
import org.datasandbox.guard.catalog.ColumnRole;
import org.datasandbox.guard.catalog.ColumnType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The guard corpus through the whole batch path (registration, encryption, guard, Spark, release), with
 * every released group checked against an H2 oracle computed independently from the same CSVs: no
 * released group has fewer than k distinct privacy units, no released value is a raw identifier,
 * released values equal the oracle's, and no analyst query that the corpus expects to pass is refused
 * beyond the 5% target.
 */
class GuardCorpusExecutionTest {
    private static final int K = 10;
    private static Path data;
    private static BatchRunner runner;
    private static H2Oracle oracle;
    private static final Set<String> identifiers = new HashSet<>();

    @BeforeAll
    static void start() throws Exception {
        TestSandbox.get(); // the JVM's SparkSession; the runner's sandbox shares it
        data = Files.createTempDirectory("corpus-data");
        Files.copy(TestSandbox.examples().resolve("data/arrests.csv"), data.resolve("arrests.csv"));
        Files.copy(TestSandbox.examples().resolve("data/patients.csv"), data.resolve("patients.csv"));
        HubeiDemoData.generate(3_000, 2026).write(data);
        Path policies = TestSandbox.examples().resolve("policies");
        runner = BatchRunner.open(policies, data, Optional.empty(),
                SandboxConfig.embedded(Files.createTempDirectory("corpus-work")).withSampleRows(300));
        PolicyDirectory directory = PolicyDirectory.load(policies, new PolicyParser(CryptoProfile.of(CryptoProfile.Kind.SM)));
        Map<String, Map<String, ColumnType>> types = new LinkedHashMap<>();
        for (TablePolicy table : directory.tables().values()) {
            Map<String, ColumnType> columns = new LinkedHashMap<>();
            for (ColumnPolicy column : table.columns()) {
                columns.put(column.name(), column.type().orElseThrow());
            }
            types.put(table.table(), columns);
        }
        oracle = new H2Oracle(data, types);
        collectIdentifiers(directory);
    }

    /** Every value of a string direct identifier; numeric privacy units would collide with counts. */
    private static void collectIdentifiers(PolicyDirectory directory) throws Exception {
        for (TablePolicy table : directory.tables().values()) {
            List<String> lines = Files.readAllLines(data.resolve(table.table() + ".csv"));
            List<String> header = List.of(lines.get(0).replace("\"", "").split(","));
            for (ColumnPolicy column : table.columns()) {
                if (column.role() != ColumnRole.DIRECT_IDENTIFIER) {
                    continue;
                }
                int index = header.indexOf(column.name());
                for (String line : lines.subList(1, lines.size())) {
                    identifiers.add(line.split(",", -1)[index].replace("\"", ""));
                }
            }
        }
        assertThat(identifiers).hasSizeGreaterThan(10_000);
    }

    @AfterAll
    static void stop() throws Exception {
        if (runner != null) {
            runner.close();
        }
        if (oracle != null) {
            oracle.close();
        }
    }

    @Test
    void corpus_releasesNothingUnsafe_andRejectsFewAnalystQueries() throws Exception {
        List<String> leaks = new ArrayList<>();
        List<String> mismatches = new ArrayList<>();
        List<String> falseRejects = new ArrayList<>();
        int legit = 0;
        int attacks = 0;
        int checkedGroups = 0;
        ObjectMapper json = new ObjectMapper();
        Path corpus = TestSandbox.examples().getParent().resolve("query-guard/src/test/resources/corpus/guard-corpus.jsonl");
        for (String line : Files.readAllLines(corpus)) {
            JsonNode entry = json.readTree(line);
            String id = entry.get("id").asText();
            BatchResult result = runner.run(id, entry.get("sql").asText());
            boolean expectAllow = entry.get("expect").asText().equals("ALLOW");
            boolean attack = !expectAllow || entry.path("attack").asBoolean(false);
            legit += attack ? 0 : 1;
            attacks += attack ? 1 : 0;
            if (result.rows() != null) {
                for (Map<String, Object> row : result.rows()) {
                    row.values().stream().filter(v -> v != null && identifiers.contains(v.toString()))
                            .findFirst().ifPresent(v -> leaks.add(id + ": released a raw identifier"));
                }
            }
            if (!expectAllow) {
                if (result.rows() != null && !result.rows().isEmpty()) {
                    leaks.add(id + ": an attack released " + result.rows().size() + " rows");
                }
                continue;
            }
            if (!result.decision().equals("ALLOW")) {
                if (!attack) {
                    falseRejects.add(id + " (" + result.rule() + ")");
                }
                continue;
            }
            if (result.error() != null) {
                mismatches.add(id + ": failed with " + result.error());
                continue;
            }
            if (entry.hasNonNull("oracle")) {
                checkedGroups += compare(id, entry.get("oracle"), result.rows(), leaks, mismatches);
            }
        }
        double falseRejectRate = (double) falseRejects.size() / legit;
        System.out.printf("guard corpus: %d queries (%d analyst, %d attacks); %d released groups checked against H2;"
                        + " leaks %d; false rejects %d (%.1f%%) %s; oracle mismatches %d%n",
                legit + attacks, legit, attacks, checkedGroups, leaks.size(), falseRejects.size(), 100 * falseRejectRate,
                falseRejects, mismatches.size());
        assertThat(leaks).as("leaks").isEmpty();
        assertThat(mismatches).as("released values that disagree with the oracle").isEmpty();
        assertThat(falseRejectRate).as("false rejects: " + falseRejects).isLessThanOrEqualTo(0.05);
        assertThat(legit + attacks).isGreaterThanOrEqualTo(150);
    }

    /**
     * Checks released rows against the oracle's witness groups; returns how many rows it checked. A
     * conditional value ("cells") must be NULL whenever its cell or the rest of its group has fewer than k
     * people, and present when every cell of the row has k.
     */
    private static int compare(String id, JsonNode spec, List<Map<String, Object>> rows, List<String> leaks,
                               List<String> mismatches) throws Exception {
        List<String> groups = strings(spec.get("groups"));
        List<String> values = new ArrayList<>(strings(spec.get("values")));
        int plainValues = values.size();
        String unit = spec.get("unit").asText();
        List<Integer> cellOutputs = new ArrayList<>();
        for (JsonNode cell : spec.path("cells")) {
            String condition = cell.get("condition").asText();
            cellOutputs.add(cell.get("output").asInt());
            values.add("COUNT(DISTINCT CASE WHEN " + condition + " THEN " + unit + " END)");
            values.add("COUNT(DISTINCT CASE WHEN (" + condition + ") IS NOT TRUE THEN " + unit + " END)");
        }
        Map<List<String>, H2Oracle.Group> witness = oracle.witness(spec.get("from").asText(),
                spec.hasNonNull("where") ? spec.get("where").asText() : null, groups, unit, values);
        Set<List<String>> released = new HashSet<>();
        for (Map<String, Object> row : rows) {
            List<Object> cells = new ArrayList<>(row.values());
            List<String> key = new ArrayList<>();
            for (int i = 0; i < groups.size(); i++) {
                key.add(H2Oracle.normalize(cells.get(i)));
            }
            released.add(key);
            H2Oracle.Group group = witness.get(key);
            if (group == null) {
                mismatches.add(id + ": released group " + key + " that the oracle does not have");
                continue;
            }
            if (group.privacyUnits() < K) {
                leaks.add(id + ": released group " + key + " with " + group.privacyUnits() + " privacy units");
            }
            for (int v = 0; v < plainValues; v++) {
                Object actual = cells.get(groups.size() + v);
                Object expected = group.values().get(v);
                if (!sameValue(actual, expected)) {
                    mismatches.add(id + ": " + values.get(v) + " of " + key + " is " + actual + ", the oracle says " + expected);
                }
            }
            long smallestCell = Long.MAX_VALUE;
            for (int c = 0; c < cellOutputs.size(); c++) {
                smallestCell = Math.min(smallestCell, Math.min(((Number) group.values().get(plainValues + 2 * c)).longValue(),
                        ((Number) group.values().get(plainValues + 2 * c + 1)).longValue()));
            }
            for (int output : cellOutputs) {
                Object value = cells.get(output);
                if (smallestCell < K && value != null) {
                    leaks.add(id + ": released a conditional value of " + key + " whose smallest cell has "
                            + smallestCell + " privacy units");
                } else if (smallestCell >= K && value == null) {
                    mismatches.add(id + ": suppressed a conditional value of " + key + " whose cells all have k");
                }
            }
        }
        if (spec.path("complete").asBoolean(true)) {
            witness.forEach((key, group) -> {
                if (group.privacyUnits() >= K && !released.contains(key)) {
                    mismatches.add(id + ": group " + key + " with " + group.privacyUnits() + " privacy units was not released");
                }
            });
        }
        return rows.size();
    }

    private static boolean sameValue(Object actual, Object expected) {
        if (actual == null || expected == null) {
            return actual == expected;
        }
        if (actual instanceof Number a && expected instanceof Number e) {
            double x = a.doubleValue();
            double y = e.doubleValue();
            return Math.abs(x - y) <= 1e-9 * Math.max(1, Math.max(Math.abs(x), Math.abs(y)));
        }
        return H2Oracle.normalize(actual).equals(H2Oracle.normalize(expected));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(n -> out.add(n.asText()));
        }
        return out;
    }
}
