package org.datasandbox.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.datasandbox.core.SandboxException;
import org.datasandbox.core.catalog.DatasetColumn;
import org.datasandbox.core.catalog.DatasetDescriptor;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.guard.catalog.ColumnType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every policy error says where (line and column) and what to write, in a policy author's words: no
 * Java or Jackson names ever reach the message.
 */
class PolicyErrorsTest {
    private static final String HEAD = "kind: table-policy\ntable: visits\ncolumns:\n  - {name: person_id, role: privacy_unit}\n";
    private static final DatasetDescriptor VISITS = new DatasetDescriptor("visits", "", List.of(
            new DatasetColumn("person_id", ColumnType.BIGINT), new DatasetColumn("city", ColumnType.STRING),
            new DatasetColumn("fee", ColumnType.DOUBLE)), 10, "h", "p", "t");
    private static final PolicyValidator.RegisteredTables REGISTERED =
            t -> t.equals("visits") ? Optional.of(VISITS) : Optional.empty();

    private final PolicyParser parser = new PolicyParser(CryptoProfile.of(CryptoProfile.Kind.SM));

    @TempDir
    Path dir;

    private PolicyException refused(String yaml, PolicyValidator.RegisteredTables registered) {
        PolicyException[] caught = new PolicyException[1];
        assertThatThrownBy(() -> parser.parse(yaml, registered)).isInstanceOfSatisfying(PolicyException.class, e -> caught[0] = e);
        assertThat(caught[0].getMessage()).doesNotContainPattern("(?i)jackson|com\\.fasterxml|org\\.datasandbox|class |java\\.");
        return caught[0];
    }

    private PolicyException refused(String yaml) {
        return refused(yaml, PolicyValidator.RegisteredTables.NONE);
    }

    @Test
    void parse_unknownKey_namesItTheEntryAndTheKeysThatExist() {
        PolicyException e = refused(HEAD + "  - {name: city, role: dimension, colour: red}\n");
        assertThat(e.line()).isEqualTo(5);
        assertThat(e.column()).isPositive();
        assertThat(e.getMessage()).contains("unknown key 'colour' in entry 2 of columns").contains("mask", "role", "bounds");
    }

    @Test
    void parse_yamlSyntaxError_saysWhereAndThatItIsYaml() {
        PolicyException e = refused("kind: table-policy\ntable: visits\ncolumns:\n  - {name: person_id, role: privacy_unit\n"
                + "  - {name: city}\n");
        assertThat(e.line()).isBetween(4, 6);
        assertThat(e.column()).isPositive();
        assertThat(e.getMessage()).contains("YAML is not well-formed");
    }

    @Test
    void parse_invalidEnumValue_listsTheValuesToWrite() {
        PolicyException e = refused(HEAD + "  - {name: city, role: boss}\n");
        assertThat(e.line()).isEqualTo(5);
        assertThat(e.getMessage()).contains("columns[2].role cannot be 'boss'").contains("privacy_unit", "dimension");
    }

    @Test
    void parse_wrongShape_saysWhatShapeToWrite() {
        PolicyException e = refused(HEAD + "  - {name: fee, role: measure, bounds: 5}\n");
        assertThat(e.line()).isEqualTo(5);
        assertThat(e.getMessage()).contains("columns[2].bounds must be a list");
    }

    @Test
    void parse_upperCaseColumnName_saysExactlyWhatToWrite() {
        PolicyException e = refused(HEAD + "  - {name: PatientCity, role: dimension}\n");
        assertThat(e.line()).isEqualTo(5);
        assertThat(e.getMessage()).contains("write patientcity");
    }

    @Test
    void parse_unknownColumnOfARegisteredTable_saysSoAndListsTheColumns() {
        PolicyException e = refused(HEAD + "  - {name: town, role: dimension}\n  - {name: fee, role: measure, bounds: [0, 9]}\n",
                REGISTERED);
        assertThat(e.line()).isEqualTo(5);
        assertThat(e.getMessage()).contains("unknown column", "town", "person_id, city, fee");
    }

    @Test
    void parse_registeredColumnWithoutEntry_saysWhichAndWhatToAdd() {
        PolicyException e = refused(HEAD + "  - {name: city, role: dimension}\n", REGISTERED);
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.getMessage()).contains("column fee of visits has no role", "{name: fee, role: ...}");
    }

    @Test
    void parse_maskThatDoesNotFitTheRegisteredType_pointsAtTheMask() {
        PolicyException e = refused(HEAD + "  - {name: city, role: direct_identifier, mask: {function: band, width: 5}}\n"
                + "  - {name: fee, role: measure, bounds: [0, 9]}\n", REGISTERED);
        assertThat(e.line()).isEqualTo(5);
        assertThat(e.column()).isGreaterThan(30);
        assertThat(e.getMessage()).contains("column city (string)", "band");
    }

    @Test
    void parse_maskThatDoesNotFitTheDeclaredType_isRefusedWithoutRegisteredData() {
        PolicyException e = refused(HEAD + "  - {name: fee, type: double, role: quasi_identifier, mask: mobile}\n");
        assertThat(e.getMessage()).contains("column fee (double)", "mobile applies to string columns");
    }

    @Test
    void parse_grantOfAnUnknownColumn_saysUnknownColumnAndWhere() {
        PolicyException e = refused("kind: scenario\nid: s\npurpose: p\ndevelopers: [Wang Fang]\ngrants:\n  visits: [city, town]\n",
                REGISTERED);
        assertThat(e.line()).isEqualTo(6);
        assertThat(e.getMessage()).contains("unknown column", "visits.town");
    }

    @Test
    void describe_namesFileLineAndColumn() {
        PolicyException e = refused(HEAD + "  - {name: city, role: boss}\n");
        assertThat(e.describe("visits.yaml")).startsWith("visits.yaml, line 5, column ").contains(": columns[2].role");
    }

    @Test
    void load_folderWithOtherYamlFiles_readsOnlyThePolicies() throws Exception {
        Files.writeString(dir.resolve("visits.yaml"), HEAD + "  - {name: city, type: string, role: dimension}\n");
        Files.writeString(dir.resolve("ci.yaml"), "steps:\n  - run: mvn verify\n");
        Files.writeString(dir.resolve("notes.yml"), "just: [some, notes]\n");
        PolicyDirectory folder = PolicyDirectory.load(dir, parser);
        assertThat(folder.tables()).containsOnlyKeys("visits");
    }

    @Test
    void load_folderPolicyWithPublicValues_givesTheGuardTheirDomain() throws Exception {
        // `guard check` and `--batch` judge DP queries on a folder: a public domain skips partition selection there too
        Files.writeString(dir.resolve("visits.yaml"), "kind: table-policy\ntable: visits\ncolumns:\n"
                + "  - {name: person_id, type: bigint, role: privacy_unit}\n"
                + "  - {name: city, type: string, role: dimension, values: [north, south]}\n");
        PolicyDirectory folder = PolicyDirectory.load(dir, parser);

        assertThat(folder.table("visits").orElseThrow().column("city").orElseThrow().publicValues())
                .containsExactly("north", "south");
    }

    @Test
    void load_folderWithAnInvalidPolicy_namesTheFileLineAndColumn() throws Exception {
        Files.writeString(dir.resolve("visits.yaml"), HEAD + "  - {name: city, role: boss}\n");
        assertThatThrownBy(() -> PolicyDirectory.load(dir, parser)).isInstanceOfSatisfying(SandboxException.class, e -> {
            assertThat(e.getMessage()).startsWith("visits.yaml, line 5, column ");
            assertThat(e.details()).containsEntry("line", "5");
        });
    }

    @Test
    void document_profilerProposals_parseBackToThePolicyProposed() throws Exception {
        var profiles = List.of(
                new org.datasandbox.masking.detect.ColumnProfile("person_id", "bigint", 100, 100, 1, 100, List.of("1")),
                new org.datasandbox.masking.detect.ColumnProfile("age", "integer", 100, 60, 1, 90, List.of("30")),
                new org.datasandbox.masking.detect.ColumnProfile("fee", "double", 100, 80, 2, 734.5, List.of("3.5")),
                new org.datasandbox.masking.detect.ColumnProfile("visit_date", "date", 100, 80, 0, 0, List.of("2024-01-01")));
        var proposals = org.datasandbox.masking.detect.ColumnProfiler.propose(profiles);
        List<DatasetColumn> columns = List.of(new DatasetColumn("person_id", ColumnType.BIGINT),
                new DatasetColumn("age", ColumnType.INTEGER), new DatasetColumn("fee", ColumnType.DOUBLE),
                new DatasetColumn("visit_date", ColumnType.DATE));
        String draft = PolicyDrafts.document("visits", columns, proposals, 100);
        assertThat(draft).startsWith("# Drafted by the sandbox's profiler").contains("note: ");
        TablePolicy policy = parser.parse(draft).table().orElseThrow();
        for (int i = 0; i < proposals.size(); i++) {
            var proposal = proposals.get(i);
            ColumnPolicy column = policy.column(proposal.column()).orElseThrow();
            assertThat(column.role().name()).isEqualTo(proposal.role().name());
            assertThat(column.type()).contains(columns.get(i).type());
            proposal.mask().ifPresent(m -> assertThat(column.mask()).isEqualTo(m));
            proposal.bounds().ifPresent(b -> assertThat(column.bounds().orElseThrow().upper()).isEqualTo(b.upper().doubleValue()));
            assertThat(column.bucketing().isPresent()).isEqualTo(proposal.bucket().isPresent());
        }
        assertThat(policy.columns()).hasSize(4);

    }
}
