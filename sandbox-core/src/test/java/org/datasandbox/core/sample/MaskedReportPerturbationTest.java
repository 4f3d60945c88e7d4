package org.datasandbox.core.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.TestSandbox;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.release.ArrowResults;
import org.datasandbox.guard.catalog.ColumnType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rule of a masked sample's report, checked by perturbation: every figure is computed from the sample
 * and public information, or is a risk figure counted over classes. So when one person's value moves inside
 * what the mask hides (an income inside its band), the sample stays the same, and then so must the whole
 * report. The oracle does not know which figure could leak: it compares every byte of the report.
 */
class MaskedReportPerturbationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCENARIO = "tiny-report";
    /** The measure default mask bands income in hundredths of its bounds [0, 100,000]. */
    private static final int BAND = 1_000;
    private static final int PEOPLE = 12;
    private static final int PERTURBED = 3;
    private static Sandbox sandbox;

    @BeforeAll
    static void registerNeighbours() throws Exception {
        sandbox = TestSandbox.get();
        Random random = new Random(11);
        List<String[]> base = new ArrayList<>();
        String[] diagnoses = {"I10", "E11", "J45"};
        for (int i = 0; i < PEOPLE; i++) {
            int band = random.nextInt(100);
            base.add(new String[] {Integer.toString(i + 1), i % 2 == 0 ? "F" : "M",
                    Integer.toString(band * BAND + random.nextInt(BAND)), diagnoses[i % 3]});
        }
        StringBuilder grants = new StringBuilder();
        for (int t = 0; t <= PERTURBED; t++) {
            List<String[]> rows = new ArrayList<>(base);
            if (t > 0) {
                // neighbour t: person t moved to the other end of their income band, which the mask hides
                String[] row = rows.get(t).clone();
                int income = Integer.parseInt(row[2]);
                int floor = income / BAND * BAND;
                row[2] = Integer.toString(income - floor < BAND / 2 ? floor + BAND - 1 : floor);
                rows.set(t, row);
            }
            register("tiny_" + t, rows);
            grants.append("  tiny_").append(t).append(": [\"*\"]\n");
        }
        sandbox.applyPolicy(TestSandbox.as(Role.ADMIN), """
                kind: scenario
                id: %s
                purpose: Checks that masked sample reports tell nothing the sample does not
                developers: ["Wang Fang"]
                output:
                  mode: threshold
                  k: 10
                grants:
                %s""".formatted(SCENARIO, grants));
    }

    private static void register(String table, List<String[]> rows) {
        StringBuilder csv = new StringBuilder("person_id,gender,income,diagnosis\n");
        rows.forEach(r -> csv.append(String.join(",", r)).append('\n'));
        sandbox.registerDataset(TestSandbox.as(Role.PROVIDER), table, "", csv.toString().getBytes(StandardCharsets.UTF_8),
                Map.of("person_id", ColumnType.BIGINT, "income", ColumnType.DOUBLE));
        sandbox.applyPolicy(TestSandbox.as(Role.ADMIN), """
                kind: table-policy
                table: %s
                output: {mode: threshold, k: 10}
                columns:
                  - {name: person_id, type: bigint, role: privacy_unit, mask: pseudonym}
                  - {name: gender, type: string, role: dimension}
                  - {name: income, type: double, role: measure, bounds: [0, 100000]}
                  - name: diagnosis
                    type: string
                    role: sensitive_attribute
                    mask: {function: keep, reason: "a test of the report's rule"}
                samples: {k_anonymity: 2, l_diversity: 2}
                """.formatted(table));
    }

    @Test
    void maskedReport_oneIncomeMovedInsideItsBand_isTheSameReport() throws Exception {
        Sandbox.SampleDownload base = sandbox.sample(TestSandbox.as(Role.DEVELOPER), SCENARIO, "tiny_0", "masked", "arrow", 100);
        List<Map<String, Object>> baseRows = ArrowResults.decode(base.data()).records();
        assertThat(baseRows).as("the sample must hold people for the report to describe them").isNotEmpty();
        for (int t = 1; t <= PERTURBED; t++) {
            Sandbox.SampleDownload neighbour = sandbox.sample(TestSandbox.as(Role.DEVELOPER), SCENARIO, "tiny_" + t, "masked", "arrow", 100);
            // the premise: the mask hides the move, so the released rows are the same
            assertThat(ArrowResults.decode(neighbour.data()).records()).containsExactlyInAnyOrderElementsOf(baseRows);
            assertThat(withoutTable(neighbour.reportJson())).as("report of neighbour " + t).isEqualTo(withoutTable(base.reportJson()));
        }
    }

    private static JsonNode withoutTable(byte[] report) throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode json = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(report);
        json.remove("table");
        return json;
    }
}
