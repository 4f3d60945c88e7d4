package org.datasandbox.core.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.TestSandbox;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.release.ArrowResults;
import org.datasandbox.guard.catalog.ColumnType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The risk figures of a linked table's masked report cover what an attacker joins: each visit with its person's
 * released values in the parent's sample. The oracle knows nothing of how the figures are computed: it joins the
 * two released samples on the pseudonym in plain Java, groups the joined rows by every column the attacker knows
 * (the visit's hospital and date, the person's gender and district), counts each class's people in the sample (f)
 * and, by linking every original visit with its person's original values to the class, among the originals (F),
 * and derives the figures from those counts as ARX and sdcMicro define them. Run on a pair of tables and on its
 * neighbour where one person's parent row moves to another gender: the figures must move as the oracle says.
 */
class LinkedTableRiskTest {
    private static final String SCENARIO = "linked-risk";
    private static final int K = 2;
    private static final int L = 2;
    private static final int GROUPS = 20;
    private static final int MEMBERS = 3;
    private static final List<String> KNOWN = List.of("hospital", "visit_date", "gender", "district");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, List<Map<String, Object>>> ORIGINALS = new HashMap<>();
    private static Sandbox sandbox;

    @BeforeAll
    static void register() {
        sandbox = TestSandbox.get();
        StringBuilder grants = new StringBuilder();
        for (String variant : List.of("base", "moved")) {
            registerPair(variant, variant.equals("moved"));
            grants.append("  risk_people_").append(variant).append(": [\"*\"]\n");
            grants.append("  risk_visits_").append(variant).append(": [\"*\"]\n");
        }
        sandbox.applyPolicy(TestSandbox.as(Role.ADMIN), """
                kind: scenario
                id: %s
                purpose: Checks the risk figures of linked tables
                developers: ["Wang Fang"]
                output:
                  mode: threshold
                  k: 10
                grants:
                %s""".formatted(SCENARIO, grants));
    }

    /**
     * Twenty groups of three people, alike on gender, district and hospital (each group its own combination of the
     * three), with three diagnoses; each person visits in January and February. Alone, the visits form 4 classes
     * (hospital and month); joined to their people, 40 classes of 3. In the moved neighbour, person 2 (group 0) is a
     * man, as group 1, which visits the same hospital in the same district.
     */
    private static void registerPair(String variant, boolean moved) {
        String[] diagnoses = {"I10", "E11", "J45"};
        StringBuilder people = new StringBuilder("person_id,gender,district,diagnosis\n");
        StringBuilder visits = new StringBuilder("visit_id,person_id,hospital,visit_date\n");
        List<Map<String, Object>> originals = new ArrayList<>();
        for (int group = 0; group < GROUPS; group++) {
            for (int member = 0; member < MEMBERS; member++) {
                long id = (long) group * MEMBERS + member + 1;
                String gender = moved && id == 2 ? "M" : group % 2 == 0 ? "F" : "M";
                String district = "D" + (group / 2) % 5;
                String hospital = "H" + group / 10;
                people.append(id).append(',').append(gender).append(',').append(district).append(',')
                        .append(diagnoses[member]).append('\n');
                for (int month = 1; month <= 2; month++) {
                    LocalDate date = LocalDate.of(2024, month, 1 + (int) (id % 20));
                    visits.append('v').append(id).append('_').append(month).append(',').append(id).append(',').append(hospital)
                            .append(',').append(date).append('\n');
                    Map<String, Object> original = new HashMap<>();
                    original.put("person", id);
                    original.put("gender", gender);
                    original.put("district", district);
                    original.put("hospital", hospital);
                    original.put("visit_date", date);
                    originals.add(original);
                }
            }
        }
        ORIGINALS.put(variant, originals);
        String parent = "risk_people_" + variant;
        String child = "risk_visits_" + variant;
        sandbox.registerDataset(TestSandbox.as(Role.PROVIDER), parent, "", people.toString().getBytes(StandardCharsets.UTF_8),
                Map.of("person_id", ColumnType.BIGINT));
        sandbox.registerDataset(TestSandbox.as(Role.PROVIDER), child, "", visits.toString().getBytes(StandardCharsets.UTF_8),
                Map.of("person_id", ColumnType.BIGINT, "visit_date", ColumnType.DATE));
        sandbox.applyPolicy(TestSandbox.as(Role.ADMIN), """
                kind: table-policy
                table: %s
                output: {mode: threshold, k: 10}
                columns:
                  - {name: person_id, type: bigint, role: privacy_unit, mask: pseudonym}
                  - {name: gender, type: string, role: dimension}
                  - {name: district, type: string, role: dimension}
                  - name: diagnosis
                    type: string
                    role: sensitive_attribute
                    mask: {function: keep, reason: "a test of linked risk figures"}
                samples: {k_anonymity: %d, l_diversity: %d}
                """.formatted(parent, K, L));
        sandbox.applyPolicy(TestSandbox.as(Role.ADMIN), """
                kind: table-policy
                table: %s
                output: {mode: threshold, k: 10}
                columns:
                  - {name: visit_id, type: string, role: direct_identifier, mask: redact}
                  - {name: person_id, type: bigint, role: privacy_unit, mask: pseudonym}
                  - {name: hospital, type: string, role: dimension}
                  - {name: visit_date, type: date, role: quasi_identifier, mask: {function: date_truncate, unit: month}}
                joins:
                  - {column: person_id, references: %s.person_id}
                samples: {k_anonymity: %d, l_diversity: %d}
                """.formatted(child, parent, K, L));
    }

    private static Sandbox.SampleDownload download(String table) {
        return sandbox.sample(TestSandbox.as(Role.DEVELOPER), SCENARIO, table, "masked", "arrow", 1_000);
    }

    @Test
    void linkedReport_riskFigures_matchTheClassesOfTheJoinedReleaseCountedIndependently() throws Exception {
        Map<String, Map<String, Double>> reported = new HashMap<>();
        Map<String, Map<String, Double>> independent = new HashMap<>();
        for (String variant : List.of("base", "moved")) {
            List<Map<String, Object>> people = ArrowResults.decode(download("risk_people_" + variant).data()).records();
            var visits = download("risk_visits_" + variant);
            List<Map<String, Object>> joined = joined(people, ArrowResults.decode(visits.data()).records());
            assertThat(joined).as("%s: the visits sample is not emptied", variant).hasSizeGreaterThan(GROUPS * MEMBERS);
            JsonNode risk = JSON.readTree(visits.reportJson()).at("/privacy/anonymity");
            List<String> known = new ArrayList<>();
            risk.path("knownColumns").forEach(n -> known.add(n.asText()));
            assertThat(known).as("%s: the report names the joined columns", variant).containsExactlyInAnyOrder(
                    "hospital", "visit_date", "risk_people_" + variant + ".gender", "risk_people_" + variant + ".district");
            reported.put(variant, figures(risk));
            independent.put(variant, oracle(joined, ORIGINALS.get(variant)));
            System.out.println("LINKED RISK " + variant + ": reported " + reported.get(variant) + ", independent " + independent.get(variant));
            assertThat(reported.get(variant)).as("%s: reported against independently counted", variant).isEqualTo(independent.get(variant));
        }
        assertThat(independent.get("moved")).as("the moved person's parent row moves the figures").isNotEqualTo(independent.get("base"));
    }

    /** Every released visit with its person's released parent values, joined on the pseudonym as the attacker joins them. */
    private static List<Map<String, Object>> joined(List<Map<String, Object>> people, List<Map<String, Object>> visits) {
        Map<Object, Map<String, Object>> byPseudonym = new HashMap<>();
        people.forEach(p -> byPseudonym.put(p.get("person_id"), p));
        List<Map<String, Object>> joined = new ArrayList<>();
        for (Map<String, Object> visit : visits) {
            Map<String, Object> person = byPseudonym.get(visit.get("person_id"));
            assertThat(person).as("every visit joins its person").isNotNull();
            Map<String, Object> row = new HashMap<>(person);
            row.putAll(visit);
            joined.add(row);
        }
        return joined;
    }

    /** f per class from the joined sample, F by linking every original to the class; the figures from f and F alone. */
    private static Map<String, Double> oracle(List<Map<String, Object>> joined, List<Map<String, Object>> originals) {
        LinkageOracle linkage = new LinkageOracle(joined, KNOWN);
        Map<List<Object>, Set<Object>> classes = new LinkedHashMap<>();
        Map<List<Object>, Map<String, Object>> values = new HashMap<>();
        for (Map<String, Object> row : joined) {
            List<Object> key = KNOWN.stream().map(row::get).toList();
            classes.computeIfAbsent(key, x -> new HashSet<>()).add(row.get("person_id"));
            values.putIfAbsent(key, row);
        }
        long people = 0;
        long smallest = Long.MAX_VALUE;
        long smallestPopulation = Long.MAX_VALUE;
        double sampleUnique = 0;
        double populationUnique = 0;
        double marketer = 0;
        for (var entry : classes.entrySet()) {
            long f = entry.getValue().size();
            Map<String, Object> sampled = values.get(entry.getKey());
            Set<Object> inPopulation = new HashSet<>();
            for (Map<String, Object> original : originals) {
                if (KNOWN.stream().allMatch(c -> linkage.matches(c, sampled.get(c), original.get(c)))) {
                    inPopulation.add(original.get("person"));
                }
            }
            long bigF = inPopulation.size();
            people += f;
            smallest = Math.min(smallest, f);
            smallestPopulation = Math.min(smallestPopulation, bigF);
            sampleUnique += f == 1 ? 1 : 0;
            populationUnique += bigF == 1 ? f : 0;
            marketer += (double) f / bigF;
        }
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("prosecutorMaxRisk", round(1.0 / smallest));
        figures.put("prosecutorAverageRisk", round((double) classes.size() / people));
        figures.put("journalistMaxRisk", round(1.0 / smallestPopulation));
        figures.put("marketerRisk", round(marketer / people));
        figures.put("sampleUniqueShare", round(sampleUnique / people));
        figures.put("populationUniqueShare", round(populationUnique / people));
        return figures;
    }

    private static Map<String, Double> figures(JsonNode risk) {
        Map<String, Double> figures = new LinkedHashMap<>();
        for (String name : List.of("prosecutorMaxRisk", "prosecutorAverageRisk", "journalistMaxRisk", "marketerRisk",
                "sampleUniqueShare", "populationUniqueShare")) {
            figures.put(name, risk.path(name).asDouble());
        }
        return figures;
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
