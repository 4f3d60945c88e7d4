package org.datasandbox.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.IntFunction;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.TestSandbox;
import org.datasandbox.core.catalog.DatasetDescriptor;
import org.datasandbox.core.demodata.HubeiDemoData;
import org.datasandbox.core.identity.Role;
import org.datasandbox.guard.catalog.ColumnRole;
import org.datasandbox.guard.catalog.ColumnType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every draft the profiler writes passes the validator with the table's real schema: on the real example
 * tables, the generated demo tables and tables of tricky shapes, registered and profiled as a provider's
 * would be (through Spark), then parsed against the registered descriptor.
 */
class PolicyDraftsTest {
    private static final String PREFIX = "draft_";
    private static final Map<String, DatasetDescriptor> REGISTERED = new LinkedHashMap<>();
    private static final Map<String, TablePolicy> DRAFTS = new LinkedHashMap<>();
    private static final Map<String, String> TEXTS = new LinkedHashMap<>();
    private static final Map<String, String> CSVS = new LinkedHashMap<>();
    private static Sandbox sandbox;

    private record Table(String name, String csv, Map<String, ColumnType> types) {
    }

    @BeforeAll
    static void registerAndDraft() throws Exception {
        sandbox = TestSandbox.get();
        HubeiDemoData.Tables hubei = HubeiDemoData.generate(600, 3);
        List<Table> tables = new java.util.ArrayList<>(List.of(
                new Table("residents", new String(hubei.residentsCsv(), StandardCharsets.UTF_8), HubeiDemoData.RESIDENT_TYPES),
                new Table("medical_visits", new String(hubei.visitsCsv(), StandardCharsets.UTF_8), HubeiDemoData.VISIT_TYPES),
                followUp(), measurements(), latinNames(), timesAndFlags(), allNull(), oneRow()));
        Path examples = TestSandbox.examples().resolve("data");
        Path shared = examples.getParent().getParent().resolveSibling("shared").resolve("data");
        for (Path folder : List.of(examples, shared)) {
            if (Files.isDirectory(folder)) {
                try (var files = Files.list(folder)) {
                    for (Path csv : files.filter(p -> p.toString().endsWith(".csv")).sorted().toList()) {
                        String name = (folder == examples ? "" : "shared_") + csv.getFileName().toString().replace(".csv", "");
                        tables.add(new Table(name, Files.readString(csv), Map.of()));
                    }
                }
            }
        }
        PolicyParser parser = new PolicyParser(sandbox.crypto());
        for (Table table : tables) {
            String name = PREFIX + table.name();
            DatasetDescriptor descriptor = sandbox.registerDataset(TestSandbox.as(Role.PROVIDER), name, "",
                    table.csv().getBytes(StandardCharsets.UTF_8), table.types());
            REGISTERED.put(name, descriptor);
            String draft = sandbox.proposePolicy(TestSandbox.as(Role.ADMIN), name);
            DRAFTS.put(name, parse(parser, name, draft));
            TEXTS.put(name, draft);
            CSVS.put(name, table.csv());
        }
    }

    private static TablePolicy parse(PolicyParser parser, String name, String draft) throws IOException {
        TablePolicy[] parsed = new TablePolicy[1];
        assertThatCode(() -> parsed[0] = parser.parse(draft, t -> Optional.ofNullable(REGISTERED.get(t))).table().orElseThrow())
                .as("the draft of %s:%n%s", name, draft).doesNotThrowAnyException();
        return parsed[0];
    }

    private static ColumnRole role(String table, String column) {
        return DRAFTS.get(PREFIX + table).column(column).orElseThrow().role();
    }

    private static String unit(String table) {
        return DRAFTS.get(PREFIX + table).columns().stream().filter(c -> c.role() == ColumnRole.PRIVACY_UNIT)
                .findFirst().orElseThrow().name();
    }

    @Test
    void proposePolicy_everyTable_draftPassesTheValidatorWithTheRegisteredSchema() {
        assertThat(DRAFTS).hasSizeGreaterThanOrEqualTo(10);
        DRAFTS.forEach((table, policy) -> assertThat(policy.columns()).as(table)
                .hasSameSizeAs(REGISTERED.get(table).columns()));
    }

    @Test
    void proposePolicy_multiRowTables_theUnitIsThePersonKey() {
        assertThat(unit("follow_up")).isEqualTo("id");
        assertThat(role("follow_up", "futime")).isEqualTo(ColumnRole.MEASURE);
        assertThat(unit("medical_visits")).isEqualTo("person_id");
        assertThat(role("medical_visits", "visit_id")).isEqualTo(ColumnRole.DIRECT_IDENTIFIER);
        assertThat(unit("measurements")).isEqualTo("subject");
        assertThat(role("measurements", "reading")).isEqualTo(ColumnRole.MEASURE);
        assertThat(unit("arrests")).isEqualTo("id");
        assertThat(unit("patients")).isEqualTo("id");
        assertThat(unit("residents")).isEqualTo("person_id");
    }

    @Test
    void proposePolicy_healthAndOriginColumns_areSensitiveAttributes() {
        assertThat(role("patients", "chapter")).isEqualTo(ColumnRole.SENSITIVE_ATTRIBUTE);
        assertThat(role("patients", "death")).isEqualTo(ColumnRole.SENSITIVE_ATTRIBUTE);
        assertThat(role("arrests", "colour")).isEqualTo(ColumnRole.SENSITIVE_ATTRIBUTE);
        assertThat(role("residents", "diagnosis")).isEqualTo(ColumnRole.SENSITIVE_ATTRIBUTE);
        assertThat(role("medical_visits", "icd10")).isEqualTo(ColumnRole.SENSITIVE_ATTRIBUTE);
        assertThat(role("follow_up", "status")).isEqualTo(ColumnRole.SENSITIVE_ATTRIBUTE);
        assertThat(role("arrests", "year")).isEqualTo(ColumnRole.DIMENSION);
    }

    /** Purpose and developers, which the admin writes: the draft itself leaves them empty. */
    private static String completed(String draft) {
        return draft.replaceAll("(?m)^purpose: .*$", "purpose: \"Income by district\"")
                .replaceAll("(?m)^developers: .*$", "developers: [\"Wang Fang\"]");
    }

    private static ScenarioPolicy scenario(String draft) throws Exception {
        return new PolicyParser(sandbox.crypto()).parse(completed(draft)).scenario().orElseThrow();
    }

    @Test
    void proposeScenario_eventTable_isDpWithTheRowsPerPersonAsLinf() throws Exception {
        String draft = sandbox.proposeScenario(TestSandbox.as(Role.ADMIN), PREFIX + "medical_visits");
        ScenarioPolicy scenario = scenario(draft);
        String[] lines = CSVS.get(PREFIX + "medical_visits").strip().split("\n");
        int unit = List.of(lines[0].split(",")).indexOf("person_id");
        long people = java.util.Arrays.stream(lines).skip(1).map(l -> l.split(",")[unit]).distinct().count();
        double perPerson = (lines.length - 1.0) / people;

        assertThat(scenario.mode()).isEqualTo(org.datasandbox.guard.catalog.OutputMode.DP);
        assertThat(scenario.dp().noise()).isEqualTo(NoiseChoice.AUTO);
        assertThat(scenario.dp().epsilon()).isEqualByComparingTo("1");
        assertThat(scenario.dp().bounds().maxGroupsPerUnit()).isEqualTo(1);
        // the visits per person, rounded up (Spark's distinct count of people is approximate: within 10%)
        assertThat(perPerson).isGreaterThan(1.5);
        assertThat(scenario.dp().bounds().maxRowsPerUnitPerGroup())
                .isBetween((int) Math.ceil(perPerson / 1.1), (int) Math.ceil(perPerson * 1.1));
        assertThat(scenario.grants()).containsOnlyKeys(PREFIX + "medical_visits");
    }

    @Test
    void proposeScenario_personTable_oneRowPerPerson() throws Exception {
        ScenarioPolicy scenario = scenario(sandbox.proposeScenario(TestSandbox.as(Role.ADMIN), PREFIX + "residents"));
        assertThat(scenario.dp().bounds()).isEqualTo(org.datasandbox.guard.catalog.ContributionBounds.DEFAULT);
    }

    @Test
    void scenarioDraft_unedited_isRefusedUntilPurposeAndDevelopersAreWritten() {
        String draft = PolicyDrafts.scenario("visits", 3_000, 1_000);
        assertThatThrownBy(() -> new PolicyParser(sandbox.crypto()).parse(draft)).isInstanceOf(PolicyException.class)
                .hasMessageContaining("purpose");
    }

    @Test
    void scenarioDraft_manyPeople_deltaWellBelowOneOverN() throws Exception {
        ScenarioPolicy scenario = scenario(PolicyDrafts.scenario("census", 2_000_000, 2_000_000));
        assertThat(scenario.dp().delta()).isEqualTo(1e-8);
        assertThat(scenario.budget().delta()).isCloseTo(1e-7, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(scenario.id()).isEqualTo("census-dp");
    }

    /** The notes are about columns: no cell of the table (of five characters or more, with a letter) is in the draft. */
    @Test
    void proposePolicy_everyTable_draftQuotesNoValue() {
        TEXTS.forEach((table, draft) -> {
            String[] lines = CSVS.get(table).split("\n");
            java.util.Set<String> cells = new java.util.HashSet<>();
            for (int i = 1; i < lines.length; i++) {
                for (String cell : lines[i].split(",")) {
                    String value = cell.replace("\"", "").strip();
                    if (value.length() >= 5 && value.chars().anyMatch(Character::isLetter)) {
                        cells.add(value);
                    }
                }
            }
            for (String cell : cells) {
                assertThat(draft).as(table).doesNotContain(cell);
            }
        });
    }

    // ---- tables of tricky shapes --------------------------------------------------------------------

    private static String csv(String header, int rows, IntFunction<String> row) {
        StringBuilder out = new StringBuilder(header).append('\n');
        for (int r = 0; r < rows; r++) {
            out.append(row.apply(r)).append('\n');
        }
        return out.toString();
    }

    /** Two rows per patient (recurrence and death), a follow-up time distinct per row. */
    private static Table followUp() {
        return new Table("follow_up", csv("id,age,sex,nodes,status,etype,futime", 600, r -> (1 + r / 2) + "," + (30 + r / 2 % 50)
                + "," + (r / 2 % 2 == 0 ? "F" : "M") + "," + (r * 7 % 25) + "," + (r % 3 == 0 ? 1 : 0) + "," + (1 + r % 2)
                + "," + (100 + r * 11)), Map.of());
    }

    /** Unique floats next to a repeated subject code. */
    private static Table measurements() {
        return new Table("measurements", csv("subject,site,reading,weight", 400, r -> "S" + (1000 + r / 4) + ",Site" + r % 3
                + "," + (0.25 + r * 1.37) + "," + (40 + r * 0.11)), Map.of());
    }

    private static Table latinNames() {
        String[] first = {"Anna", "Ben", "Clara", "David", "Emma", "Felix", "Greta", "Hugo", "Ida", "Jonas", "Karl", "Lena"};
        String[] last = {"Smith", "Müller", "García", "Rossi", "Dubois", "Novak", "Jensen", "Kowalski", "Silva"};
        return new Table("latin_names", csv("name,surname,city,religion,salary", 300, r -> first[r % first.length] + " "
                + last[r * 7 % last.length] + (r / 50) + "," + last[r % last.length] + "," + (r % 2 == 0 ? "Lyon" : "Graz")
                + "," + (r % 3 == 0 ? "none" : "other") + "," + (r % 4 == 0 ? "<=50K" : ">50K")), Map.of());
    }

    private static Table timesAndFlags() {
        Random random = new Random(3);
        return new Table("times_and_flags", csv("patient_no,seen_at,smoker,consent,born", 250, r -> String.format(
                "P%05d,2024-03-%02dT%02d:%02d:%02dZ,%s,%s,19%02d-0%d-1%d", r / 3, 1 + r % 28, r % 24, r % 60, random.nextInt(60),
                r % 2 == 0, r % 5 != 0, 40 + r % 50, 1 + r % 9, r % 10)),
                Map.of("seen_at", ColumnType.TIMESTAMP, "smoker", ColumnType.BOOLEAN, "consent", ColumnType.BOOLEAN));
    }

    /** Columns with no value at all, of every declared type. */
    private static Table allNull() {
        return new Table("all_null", csv("code,empty_text,empty_number,empty_date,empty_time,empty_flag", 60, r -> "C" + r
                + ",,,,,"), Map.of("empty_number", ColumnType.DOUBLE, "empty_date", ColumnType.DATE,
                "empty_time", ColumnType.TIMESTAMP, "empty_flag", ColumnType.BOOLEAN));
    }

    private static Table oneRow() {
        return new Table("one_row", csv("person_id,age,income,diagnosis,visited", 1, r -> "7,44,5120.5,E11,2024-05-06"), Map.of());
    }
}
