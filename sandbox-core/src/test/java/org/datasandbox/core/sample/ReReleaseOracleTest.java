package org.datasandbox.core.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.TestSandbox;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.release.ArrowResults;
import org.datasandbox.guard.catalog.ColumnType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Masked samples of one table under two policy versions, checked with an oracle that knows nothing of how
 * samples are made: the developer holds both releases, joins them on the column that links a person's rows
 * (the pseudonym of the privacy unit) and groups the joined people by every other column of both except the
 * sensitive one. No such class may hold fewer than k people or fewer than l diagnoses.
 */
class ReReleaseOracleTest {
    private static final String SCENARIO = "re-release";
    private static final String UNIT = "person_id";
    private static final String SENSITIVE = "diagnosis";
    private static final int K = 5;
    private static final int L = 2;
    private static final int PEOPLE = 40;
    private static Sandbox sandbox;

    @BeforeAll
    static void register() {
        sandbox = TestSandbox.get();
        StringBuilder grants = new StringBuilder();
        for (String table : List.of("rerelease_finer", "rerelease_coarser")) {
            registerTable(table);
            grants.append("  ").append(table).append(": [\"*\"]\n");
            applyPolicy(table, "{function: date_truncate, unit: year}", "{function: band, width: 100000}");
        }
        sandbox.applyPolicy(TestSandbox.as(Role.ADMIN), """
                kind: scenario
                id: %s
                purpose: Checks that two masked releases joined on the pseudonym narrow nobody
                developers: ["Wang Fang"]
                output:
                  mode: threshold
                  k: 10
                grants:
                %s""".formatted(SCENARIO, grants));
    }

    /**
     * Forty people: gender and birth year make 8 classes of 5, income bands of 10,000 make 8 others of 5, and
     * the two cuts cross so that together they single out everyone.
     */
    private static void registerTable(String table) {
        String[] diagnoses = {"I10", "E11", "J45"};
        StringBuilder csv = new StringBuilder("person_id,gender,birth_date,income,diagnosis\n");
        for (int i = 0; i < PEOPLE; i++) {
            csv.append(i + 1).append(',').append(i % 2 == 0 ? "F" : "M").append(',')
                    .append(1980 + (i / 2) % 4).append("-0").append(1 + i % 9).append("-1").append(i % 10).append(',')
                    .append(10_000 * ((i / 5) % 8) + 1_000 + 7 * i).append(',').append(diagnoses[i % 3]).append('\n');
        }
        sandbox.registerDataset(TestSandbox.as(Role.PROVIDER), table, "", csv.toString().getBytes(StandardCharsets.UTF_8),
                Map.of("person_id", ColumnType.BIGINT, "income", ColumnType.DOUBLE, "birth_date", ColumnType.DATE));
    }

    private static void applyPolicy(String table, String birthDateMask, String incomeMask) {
        applyPolicy(table, "keep", birthDateMask, incomeMask);
    }

    private static void applyPolicy(String table, String genderMask, String birthDateMask, String incomeMask) {
        sandbox.applyPolicy(TestSandbox.as(Role.ADMIN), """
                kind: table-policy
                table: %s
                output: {mode: threshold, k: 10}
                columns:
                  - {name: person_id, type: bigint, role: privacy_unit, mask: pseudonym}
                  - {name: gender, type: string, role: dimension, mask: %s}
                  - {name: birth_date, type: date, role: quasi_identifier, mask: %s}
                  - {name: income, type: double, role: measure, bounds: [0, 100000], mask: %s}
                  - name: diagnosis
                    type: string
                    role: sensitive_attribute
                    mask: {function: keep, reason: "a test of re-releases"}
                samples: {k_anonymity: %d, l_diversity: %d}
                """.formatted(table, genderMask, birthDateMask, incomeMask, K, L));
    }

    private static List<Map<String, Object>> sample(String table) throws Exception {
        Sandbox.SampleDownload download = sandbox.sample(TestSandbox.as(Role.DEVELOPER), SCENARIO, table, "masked", "arrow", 1_000);
        return ArrowResults.decode(download.data()).records();
    }

    @Test
    void maskedReRelease_finerCutUnderANewPolicyVersion_joinedClassesKeepKAndL() throws Exception {
        List<Map<String, Object>> first = sample("rerelease_finer");
        // version 2 hides gender and birth date but shows income in bands of 10,000: k-anonymous on its own
        applyPolicy("rerelease_finer", "nullify", "nullify", "{function: band, width: 10000}");
        List<Map<String, Object>> second = sample("rerelease_finer");
        assertThat(first).hasSize(PEOPLE);
        assertThat(second).as("each release alone is k-anonymous without suppression").hasSize(PEOPLE);

        assertJoinedClassesAtLeastKAndL(first, second);
        Set<Object> joined = units(first);
        joined.retainAll(units(second));
        assertThat(joined).as("fresh keys: no person links across the releases").isEmpty();
        assertThat(sandbox.ledger().entries()).anyMatch(e -> e.action().equals("sample.rekeyed") && e.subject().equals("rerelease_finer"));
    }

    @Test
    void maskedReRelease_coarserUnderANewPolicyVersion_keepsItsPseudonymsAndJoinedClassesKeepKAndL() throws Exception {
        List<Map<String, Object>> first = sample("rerelease_coarser");
        // version 2 empties birth date and keeps the rest: nothing is finer, so the keys stay
        applyPolicy("rerelease_coarser", "nullify", "{function: band, width: 100000}");
        List<Map<String, Object>> second = sample("rerelease_coarser");

        Set<Object> joined = units(first);
        joined.retainAll(units(second));
        assertThat(joined).as("the same keys: the same people under the same pseudonyms").hasSize(PEOPLE);
        assertJoinedClassesAtLeastKAndL(first, second);
    }

    private static Set<Object> units(List<Map<String, Object>> rows) {
        return rows.stream().map(r -> r.get(UNIT)).collect(Collectors.toCollection(HashSet::new));
    }

    /** The oracle: join on the pseudonym, class by every other column of both releases but the sensitive one. */
    private static void assertJoinedClassesAtLeastKAndL(List<Map<String, Object>> first, List<Map<String, Object>> second) {
        Map<Object, List<Map<String, Object>>> secondByUnit = second.stream().collect(Collectors.groupingBy(r -> r.get(UNIT)));
        Map<List<Object>, Set<Object>> people = new HashMap<>();
        Map<List<Object>, Set<Object>> diagnoses = new HashMap<>();
        for (Map<String, Object> a : first) {
            for (Map<String, Object> b : secondByUnit.getOrDefault(a.get(UNIT), List.of())) {
                List<Object> key = new ArrayList<>();
                a.keySet().stream().sorted().filter(c -> !c.equals(UNIT) && !c.equals(SENSITIVE)).forEach(c -> key.add(a.get(c)));
                b.keySet().stream().sorted().filter(c -> !c.equals(UNIT) && !c.equals(SENSITIVE)).forEach(c -> key.add(b.get(c)));
                people.computeIfAbsent(key, x -> new HashSet<>()).add(a.get(UNIT));
                diagnoses.computeIfAbsent(key, x -> new HashSet<>()).add(a.get(SENSITIVE));
                diagnoses.get(key).add(b.get(SENSITIVE));
            }
        }
        people.forEach((key, members) -> assertThat(members).as("people in a joined class").hasSizeGreaterThanOrEqualTo(K));
        diagnoses.forEach((key, values) -> assertThat(values).as("diagnoses in a joined class").hasSizeGreaterThanOrEqualTo(L));
    }
}
