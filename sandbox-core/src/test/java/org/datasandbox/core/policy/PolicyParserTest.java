package org.datasandbox.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.util.List;
import org.datasandbox.core.TestSandbox;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.guard.catalog.Bucketing;
import org.datasandbox.guard.catalog.ColumnRole;
import org.datasandbox.masking.policy.MaskingSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PolicyParserTest {
    private final PolicyParser parser = new PolicyParser(CryptoProfile.of(CryptoProfile.Kind.SM));

    @ParameterizedTest
    @ValueSource(strings = {"arrests", "patients", "residents", "medical_visits"})
    void parse_referencePolicies_areValidTablePolicies(String table) throws Exception {
        String text = Files.readString(TestSandbox.examples().resolve("policies/" + table + ".yaml"));
        TablePolicy policy = parser.parse(text).table().orElseThrow();
        assertThat(policy.table()).isEqualTo(table);
        assertThat(policy.minGroupSize()).isEqualTo(10);
        assertThat(policy.columns()).filteredOn(c -> c.role() == ColumnRole.PRIVACY_UNIT).hasSize(1);
        assertThat(policy.sha()).hasSize(64);
    }

    @Test
    void parse_residents_readsBucketsBoundsAndMasks() throws Exception {
        TablePolicy policy = parser.parse(Files.readString(TestSandbox.examples().resolve("policies/residents.yaml")))
                .table().orElseThrow();
        assertThat(policy.column("birth_date").orElseThrow().bucketing()).contains(Bucketing.dates(Bucketing.DateUnit.DECADE));
        assertThat(policy.column("income").orElseThrow().bounds().orElseThrow().upper()).isEqualTo(1_000_000);
        assertThat(policy.column("id_card").orElseThrow().mask().params()).containsEntry("keep", "region");
        assertThat(policy.column("diagnosis").orElseThrow().mask().function()).isEqualTo("keep");
        assertThat(policy.column("gender").orElseThrow().line()).isPositive();
    }

    @Test
    void parse_scenario_readsGrantsAndDevelopers() throws Exception {
        ScenarioPolicy scenario = parser.parse(Files.readString(
                TestSandbox.examples().resolve("policies/scenario-public-health.yaml"))).scenario().orElseThrow();
        assertThat(scenario.id()).isEqualTo("public-health");
        assertThat(scenario.admits("Wang Fang")).isTrue();
        assertThat(scenario.admits("Mallory")).isFalse();
        assertThat(scenario.grants().get("residents")).containsExactly("*");
    }

    private static final String SCENARIO = "kind: scenario\nid: s\npurpose: p\ndevelopers: [\"Wang Fang\"]\n"
            + "grants: {t: ['*']}\nbudget: {epsilon: 4, delta: 1.0e-5}\n";

    @Test
    void parse_dpScenario_readsPerQueryBudgetAndContributionBounds() throws Exception {
        ScenarioPolicy scenario = parser.parse(SCENARIO + "output: {mode: dp, epsilon: 0.5, delta: 1.0e-7, "
                + "max_groups_per_unit: 3, max_rows_per_group: 20}\n").scenario().orElseThrow();
        assertThat(scenario.mode()).isEqualTo(org.datasandbox.guard.catalog.OutputMode.DP);
        assertThat(scenario.dp().epsilon()).isEqualByComparingTo("0.5");
        assertThat(scenario.dp().delta()).isEqualTo(1e-7);
        assertThat(scenario.dp().bounds()).isEqualTo(new org.datasandbox.guard.catalog.ContributionBounds(3, 20));
    }

    @Test
    void parse_dpScenarioMechanism_isReadAndDefaultsToAuto() throws Exception {
        assertThat(parser.parse(SCENARIO + "output: {mode: dp, mechanism: gaussian}\n").scenario().orElseThrow().dp()
                .noise()).isEqualTo(NoiseChoice.GAUSSIAN);
        assertThat(parser.parse(SCENARIO + "output: {mode: dp, mechanism: laplace}\n").scenario().orElseThrow().dp()
                .noise()).isEqualTo(NoiseChoice.LAPLACE);
        assertThat(parser.parse(SCENARIO + "output: {mode: dp}\n").scenario().orElseThrow().dp().noise())
                .isEqualTo(NoiseChoice.AUTO);
    }

    @Test
    void parse_referenceDpScenario_isDpWithItsParameters() throws Exception {
        ScenarioPolicy scenario = parser.parse(Files.readString(TestSandbox.examples().resolve(
                "dp/scenario-public-health-dp.yaml"))).scenario().orElseThrow();
        assertThat(scenario.mode()).isEqualTo(org.datasandbox.guard.catalog.OutputMode.DP);
        assertThat(scenario.dp().epsilon()).isEqualByComparingTo("0.5");
        assertThat(scenario.budget().epsilon()).isEqualTo(10.0);
    }

    @Test
    void parse_dpScenarioWithoutSettings_getsTheDefaults() throws Exception {
        ScenarioPolicy scenario = parser.parse(SCENARIO + "output: {mode: dp}\n").scenario().orElseThrow();
        assertThat(scenario.mode()).isEqualTo(org.datasandbox.guard.catalog.OutputMode.DP);
        assertThat(scenario.dp()).isEqualTo(DpOutput.DEFAULT);
    }

    @Test
    void parse_scenarioWithoutMode_isReadAsThreshold() throws Exception {
        assertThat(parser.parse(SCENARIO).scenario().orElseThrow().mode())
                .isEqualTo(org.datasandbox.guard.catalog.OutputMode.THRESHOLD);
        assertThat(parser.parse(SCENARIO + "output: {k: 5}\n").scenario().orElseThrow().mode())
                .isEqualTo(org.datasandbox.guard.catalog.OutputMode.THRESHOLD);
    }

    @Test
    void parse_invalidDpScenarios_areRefusedWithLineAndFix() {
        assertRefused(SCENARIO + "output: {mode: noisy}\n", 7, "write dp");
        assertRefused(SCENARIO + "output:\n  mode: dp\n  epsilon: 5\n", 9, "at most the budget's epsilon");
        assertRefused(SCENARIO + "output:\n  mode: dp\n  epsilon: 0\n", 9, "above 0");
        assertRefused(SCENARIO + "output:\n  mode: dp\n  delta: 0.01\n", 9, "at most the budget's delta");
        assertRefused(SCENARIO + "output:\n  mode: dp\n  max_groups_per_unit: 0\n", 9, "1 to 1000");
        assertRefused(SCENARIO + "output:\n  mode: dp\n  max_rows_per_group: 1001\n", 9, "1 to 1000");
        assertRefused(SCENARIO + "output:\n  mode: dp\n  k: 10\n", 9, "apply to mode: threshold");
        assertRefused(SCENARIO + "output:\n  mode: threshold\n  epsilon: 1\n", 7, "mode: dp only");
        assertRefused(SCENARIO + "output: {mode: dp, max_rows: 3}\n", 7, "max_rows_per_group");
        assertRefused(SCENARIO + "output:\n  mode: dp\n  mechanism: exponential\n", 9, "auto");
        assertRefused(SCENARIO + "output:\n  mode: dp\n  mechanism: gaussian\n  delta: 0\n", 9, "needs delta > 0");
        assertRefused(SCENARIO + "output:\n  mode: threshold\n  mechanism: gaussian\n", 7, "mode: dp only");
    }

    private void assertRefused(String yaml, int line, String reason) {
        assertThatThrownBy(() -> parser.parse(yaml)).isInstanceOfSatisfying(PolicyException.class, e -> {
            assertThat(e.line()).as(e.getMessage()).isEqualTo(line);
            assertThat(e.getMessage()).contains(reason);
        });
    }

    @Test
    void parse_invalidPolicies_areRefusedWithLineAndReason() {
        String head = "kind: table-policy\ntable: t\ncolumns:\n  - {name: id, role: privacy_unit}\n";
        assertRefused(head + "  - {name: x, role: boss}\n", 5, "boss");
        assertRefused(head + "  - {name: x, role: measure}\n", 5, "needs bounds");
        assertRefused(head + "  - {name: x, role: measure, bounds: [5, 1]}\n", 5, "lower <= upper");
        assertRefused(head + "  - {name: x, role: dimension, bucket: {width: 5}}\n", 5, "only quasi-identifiers and measures");
        assertRefused(head + "  - {name: x, role: measure, bounds: [0, 100], bucket: {date_unit: year}}\n", 5, "band width");
        assertRefused(head + "  - {name: x, role: measure, bounds: [0, 100], bucket: {width: 1}}\n", 5, "width must be >= 2");
        assertRefused(head + "  - {name: x, role: direct_identifier, mask: keep}\n", 5, "cannot be kept unmasked");
        assertRefused(head + "  - {name: x, role: dimension, mask: scramble}\n", 5, "unknown masking function");
        assertRefused(head + "  - {name: id, role: dimension}\n", 5, "listed twice");
        assertRefused(head + "  - {name: x, role: dimension, colour: red}\n", 5, "colour");
        assertRefused("kind: table-policy\ntable: t\ncolumns:\n  - {name: x, role: dimension}\n", 3, "exactly one column");
        assertRefused("kind: table-policy\ntable: t\noutput: {mode: dp}\ncolumns:\n  - {name: id, role: privacy_unit}\n", 3,
                "set per scenario");
        assertRefused("kind: blueprint\n", 1, "kind must be");
        assertRefused("kind: table-policy\ntable: [unclosed\n", 2, "flow sequence");
        assertRefused("kind: scenario\nid: s\npurpose: p\ndevelopers: []\ngrants: {t: ['*']}\n", 4, "developers");
    }

    @Test
    void parse_measureWithBands_declaresItsBandWidth() throws Exception {
        String yaml = "kind: table-policy\ntable: t\ncolumns:\n  - {name: id, role: privacy_unit}\n"
                + "  - {name: income, role: measure, bounds: [0, 1000000], bucket: {width: 10000}}\n";
        var column = parser.parse(yaml).table().orElseThrow().columns().stream()
                .filter(c -> c.name().equals("income")).findFirst().orElseThrow();
        assertThat(column.bucketing()).hasValueSatisfying(b -> assertThat(b.minWidth()).isEqualTo(10000));
    }

    @Test
    void parse_samplesSection_readsAndChecksItsSettings() throws Exception {
        String head = "kind: table-policy\ntable: t\ncolumns:\n  - {name: id, role: privacy_unit}\n"
                + "  - {name: city, role: dimension}\n  - {name: phone, role: direct_identifier, mask: mobile}\n";
        TablePolicy policy = parser.parse(head + "samples: {k_anonymity: 5, epsilon: 2.5, stratify_by: city}\n").table().orElseThrow();
        assertThat(policy.samples()).isEqualTo(new SamplePolicy(5, 2, new java.math.BigDecimal("2.5"), "city"));
        assertThat(parser.parse(head + "samples: {k_anonymity: 10, l_diversity: 3}\n").table().orElseThrow().samples())
                .isEqualTo(new SamplePolicy(10, 3, java.math.BigDecimal.ONE, ""));
        assertThat(parser.parse(head).table().orElseThrow().samples()).isEqualTo(SamplePolicy.DEFAULT);
        assertRefused(head + "samples: {k_anonymity: 1}\n", 7, "k_anonymity must be 2 to 100");
        assertRefused(head + "samples: {k_anonymity: 0}\n", 7, "k_anonymity must be 2 to 100");
        assertRefused(head + "samples: {k_anonymity: 3, l_diversity: 4}\n", 7, "l_diversity must be 1 to k_anonymity");
        assertRefused(head + "samples: {epsilon: 0}\n", 7, "epsilon must be above 0");
        assertRefused(head + "samples: {epsilon: 11}\n", 7, "at most 10");
        assertRefused(head + "samples: {stratify_by: town}\n", 7, "names no column");
        assertRefused(head + "samples: {stratify_by: phone}\n", 7, "must be a dimension column, not a direct_identifier");
        assertRefused(head.replace("role: dimension", "role: quasi_identifier") + "samples: {stratify_by: city}\n", 7,
                "not a quasi_identifier");
        assertRefused(head + "samples: {shuffle: true}\n", 7, "shuffle");
    }

    @Test
    void parse_defaults_protectSensitiveAttributesAndMeasures() throws Exception {
        String head = "kind: table-policy\ntable: t\ncolumns:\n  - {name: id, role: privacy_unit}\n";
        TablePolicy policy = parser.parse(head + "  - {name: diagnosis, role: sensitive_attribute}\n"
                + "  - {name: income, role: measure, bounds: [0, 1000000]}\n"
                + "  - {name: creatinine, role: measure, bounds: [0, 10]}\n"
                + "  - {name: futime, role: measure, bounds: [0, 6000]}\n").table().orElseThrow();
        assertThat(policy.samples().kAnonymity()).isEqualTo(5);
        assertThat(policy.samples().lDiversity()).isEqualTo(2);
        assertThat(policy.column("diagnosis").orElseThrow().mask()).isEqualTo(MaskingSpec.of("nullify"));
        assertThat(policy.column("income").orElseThrow().mask()).isEqualTo(MaskingSpec.of("band", "width", "10000"));
        assertThat(policy.column("creatinine").orElseThrow().mask()).isEqualTo(MaskingSpec.of("round", "step", "0.1"));
        assertThat(policy.column("futime").orElseThrow().mask()).isEqualTo(MaskingSpec.of("band", "width", "100"));
    }

    @Test
    void parse_keepOfSensitiveOrMeasure_needsAWrittenReason() throws Exception {
        String head = "kind: table-policy\ntable: t\ncolumns:\n  - {name: id, role: privacy_unit}\n";
        assertRefused(head + "  - {name: diagnosis, role: sensitive_attribute, mask: keep}\n", 5, "only with a written reason");
        assertRefused(head + "  - {name: income, role: measure, bounds: [0, 9], mask: {function: keep, reason: ' '}}\n", 5,
                "only with a written reason");
        TablePolicy policy = parser.parse(head + "  - {name: diagnosis, role: sensitive_attribute, "
                + "mask: {function: keep, reason: 'l-diverse classes; needed for case-mix jobs'}}\n").table().orElseThrow();
        assertThat(policy.column("diagnosis").orElseThrow().mask().params())
                .containsEntry("reason", "l-diverse classes; needed for case-mix jobs");
        assertThat(parser.parse(head + "  - {name: city, role: dimension, mask: keep}\n").table()).isPresent();
    }

    @Test
    void parse_emptyOrHuge_isRefused() {
        assertThatThrownBy(() -> parser.parse("  ")).hasMessageContaining("empty");
        assertThatThrownBy(() -> parser.parse("kind: scenario\n" + "#".repeat(300_000))).hasMessageContaining("larger");
        assertThat(List.of(PolicyParser.TABLE_KIND, PolicyParser.SCENARIO_KIND)).doesNotHaveDuplicates();
    }

    @Test
    void parse_categoryValues_arePublicValues_andOnlyCategoriesListThem() throws Exception {
        TablePolicy policy = parser.parse("kind: table-policy\ntable: t\ncolumns:\n"
                + "  - {name: id, role: privacy_unit}\n  - {name: year, role: dimension, values: [1995, 1996]}\n").table().orElseThrow();
        assertThat(policy.column("year").orElseThrow().values()).containsExactly("1995", "1996");
        assertThatThrownBy(() -> parser.parse("kind: table-policy\ntable: t\ncolumns:\n  - {name: id, role: privacy_unit}\n"
                + "  - {name: cost, role: measure, bounds: [0, 9], values: [1]}\n")).hasMessageContaining("only category columns");
        assertThatThrownBy(() -> parser.parse("kind: table-policy\ntable: t\ncolumns:\n  - {name: id, role: privacy_unit}\n"
                + "  - {name: sex, role: dimension, values: [F, F]}\n")).hasMessageContaining("distinct values");
    }
}
