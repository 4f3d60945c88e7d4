package org.datasandbox.core.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
 * A linked child table (visits of a person) is anonymized together with what its person's row in the parent
 * sample shows, checked with the attacker of the threat model, who knows nothing of how samples are made: they
 * join the visits sample to the people sample on the pseudonym and link every original visit (the person's
 * gender and district, the visit's hospital and date) to the joined rows. Every visit must match no one or at
 * least k people, who hold at least l diagnoses. Run on a table and on its neighbour, where one person is moved
 * to a hospital nobody else visits.
 */
class LinkedTableAnonymityTest {
    private static final String SCENARIO = "linked-tables";
    private static final int K = 5;
    private static final int L = 2;
    private static final int PEOPLE = 40;
    private static final List<String> KNOWN = List.of("gender", "district", "hospital", "visit_date");
    private static Sandbox sandbox;
    private static final Map<String, List<Map<String, Object>>> ORIGINALS = new HashMap<>();

    @BeforeAll
    static void register() {
        sandbox = TestSandbox.get();
        StringBuilder grants = new StringBuilder();
        for (String variant : List.of("base", "rare")) {
            registerPair(variant, variant.equals("rare"));
            grants.append("  linked_people_").append(variant).append(": [\"*\"]\n");
            grants.append("  linked_visits_").append(variant).append(": [\"*\"]\n");
        }
        sandbox.applyPolicy(TestSandbox.as(Role.ADMIN), """
                kind: scenario
                id: %s
                purpose: Checks that visits joined to their people narrow nobody
                developers: ["Wang Fang"]
                output:
                  mode: threshold
                  k: 10
                grants:
                %s""".formatted(SCENARIO, grants));
    }

    /**
     * Forty people in 8 classes of 5 on gender and district, two visits each at one of five hospitals: on its
     * own every hospital and month holds 8 people, but gender, district and hospital together single out everyone.
     */
    private static void registerPair(String variant, boolean rare) {
        String[] diagnoses = {"I10", "E11", "J45"};
        StringBuilder people = new StringBuilder("person_id,gender,district,diagnosis\n");
        StringBuilder visits = new StringBuilder("visit_id,person_id,hospital,visit_date\n");
        List<Map<String, Object>> originals = new ArrayList<>();
        for (int i = 0; i < PEOPLE; i++) {
            String gender = i % 2 == 0 ? "F" : "M";
            String district = "D" + (i / 2) % 4;
            String diagnosis = diagnoses[i % 3];
            people.append(i + 1).append(',').append(gender).append(',').append(district).append(',').append(diagnosis).append('\n');
            String hospital = rare && i == 0 ? "H_RARE" : "H" + i % 5;
            for (int month = 1; month <= 2; month++) {
                LocalDate date = LocalDate.of(2024, month, 1 + i % 20);
                visits.append('v').append(i).append('_').append(month).append(',').append(i + 1).append(',').append(hospital)
                        .append(',').append(date).append('\n');
                originals.add(Map.of("gender", gender, "district", district, "diagnosis", diagnosis,
                        "hospital", hospital, "visit_date", date));
            }
        }
        ORIGINALS.put(variant, originals);
        String parent = "linked_people_" + variant;
        String child = "linked_visits_" + variant;
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
                    mask: {function: keep, reason: "a test of linked tables"}
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

    private static List<Map<String, Object>> sample(String table) throws Exception {
        return ArrowResults.decode(sandbox.sample(TestSandbox.as(Role.DEVELOPER), SCENARIO, table, "masked", "arrow", 1_000)
                .data()).records();
    }

    @Test
    void linkedSample_visitsJoinedToTheirPeople_everyOriginalVisitMatchesKPeopleWithLDiagnoses() throws Exception {
        for (String variant : List.of("base", "rare")) {
            List<Map<String, Object>> people = sample("linked_people_" + variant);
            List<Map<String, Object>> visits = sample("linked_visits_" + variant);
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
            assertThat(joined).as("%s: the visits sample is not emptied to pass", variant).hasSizeGreaterThan(PEOPLE);

            LinkageOracle oracle = new LinkageOracle(joined, KNOWN);
            int linkedVisits = 0;
            for (Map<String, Object> original : ORIGINALS.get(variant)) {
                Set<Object> matchingPeople = new HashSet<>();
                Set<Object> diagnoses = new HashSet<>();
                for (Map<String, Object> row : joined) {
                    if (KNOWN.stream().allMatch(c -> oracle.matches(c, row.get(c), original.get(c)))) {
                        matchingPeople.add(row.get("person_id"));
                        diagnoses.add(row.get("diagnosis"));
                    }
                }
                if (!matchingPeople.isEmpty()) {
                    linkedVisits++;
                    assertThat(matchingPeople).as("%s: people a visit links to", variant).hasSizeGreaterThanOrEqualTo(K);
                    assertThat(diagnoses).as("%s: their diagnoses", variant).hasSizeGreaterThanOrEqualTo(L);
                }
            }
            assertThat(linkedVisits).as("%s: the oracle links visits at all", variant).isPositive();
        }
    }
}
