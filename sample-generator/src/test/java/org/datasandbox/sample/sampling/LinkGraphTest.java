package org.datasandbox.sample.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.datasandbox.masking.policy.MaskingSpec;
import org.junit.jupiter.api.Test;

class LinkGraphTest {
    private static final MaskingSpec PSEUDONYM = new MaskingSpec("pseudonym", Map.of());
    private static final MaskingSpec HASHED = new MaskingSpec("hash", Map.of());

    private static LinkGraph.Node node(String table, String unit, MaskingSpec mask, LinkGraph.Reference... references) {
        return new LinkGraph.Node(table, unit, "", mask, List.of(references));
    }

    private static LinkGraph.Reference ref(String column, String table, String otherColumn) {
        return new LinkGraph.Reference(column, table, otherColumn);
    }

    /** residents <- visits <- prescriptions; claims references a resident by a column that is not its unit. */
    private static LinkGraph hospital() {
        return new LinkGraph(List.of(
                node("residents", "person_id", PSEUDONYM),
                node("visits", "person_id", PSEUDONYM, ref("person_id", "residents", "person_id")),
                node("prescriptions", "person_id", HASHED, ref("person_id", "visits", "person_id")),
                node("claims", "claim_id", PSEUDONYM, ref("person_id", "residents", "person_id")),
                node("arrests", "suspect_id", PSEUDONYM)));
    }

    @Test
    void parent_unitReferencesUnit_isTheReferencedTable() {
        assertThat(hospital().parent("visits")).contains("residents");
        assertThat(hospital().parent("prescriptions")).contains("visits");
    }

    @Test
    void parent_referenceFromAColumnThatIsNotTheUnit_isNone() {
        assertThat(hospital().parent("claims")).isEmpty();
        assertThat(hospital().parent("residents")).isEmpty();
    }

    @Test
    void parent_referenceToATableNotInTheGraphOrNotItsUnit_isNone() {
        LinkGraph graph = new LinkGraph(List.of(
                node("a", "u", PSEUDONYM, ref("u", "missing", "u")),
                node("b", "u", PSEUDONYM, ref("u", "c", "other")),
                node("c", "u", PSEUDONYM)));
        assertThat(graph.parent("a")).isEmpty();
        assertThat(graph.parent("b")).isEmpty();
    }

    @Test
    void childrenAndComponent_linkedEitherWay_areEveryTableSharingThePeople() {
        LinkGraph graph = hospital();
        assertThat(graph.children("residents")).containsExactly("visits");
        assertThat(graph.component("prescriptions")).containsExactlyInAnyOrder("residents", "visits", "prescriptions");
        assertThat(graph.component("residents")).containsExactlyInAnyOrder("residents", "visits", "prescriptions");
        assertThat(graph.component("arrests")).containsExactly("arrests");
    }

    @Test
    void chainAndLineage_nestedTables_followParentsToTheRoot() {
        LinkedTable chain = hospital().chain("prescriptions");
        assertThat(chain.root().name()).isEqualTo("residents");
        assertThat(chain.parent().orElseThrow().name()).isEqualTo("visits");
        assertThat(hospital().lineage("prescriptions")).containsExactly("prescriptions", "visits", "residents");
    }

    @Test
    void lineage_chainLongerThanTheLimit_stopsAtMaxDepth() {
        List<LinkGraph.Node> nodes = new ArrayList<>();
        nodes.add(node("t0", "u", PSEUDONYM));
        for (int i = 1; i <= 6; i++) {
            nodes.add(node("t" + i, "u", PSEUDONYM, ref("u", "t" + (i - 1), "u")));
        }
        LinkGraph graph = new LinkGraph(nodes);
        assertThat(graph.lineage("t6")).hasSize(LinkedTable.MAX_DEPTH + 1);
        assertThat(graph.chain("t6").root().name()).isEqualTo("t" + (6 - LinkedTable.MAX_DEPTH));
    }

    @Test
    void spec_sameUnitMask_joinsTheParentsRelease_otherMask_doesNot() {
        LinkGraph graph = hospital();
        assertThat(graph.spec("visits").joinedParent().map(LinkedTable::name)).contains("residents");
        assertThat(graph.spec("visits").children()).containsExactly("prescriptions");
        assertThat(graph.spec("prescriptions").parent()).isPresent();
        assertThat(graph.spec("prescriptions").joinedParent()).isEmpty();
        assertThat(graph.spec("residents").joinedParent()).isEmpty();
    }

    @Test
    void linkedTables_joinedWithoutParent_isRefused() {
        LinkedTable alone = new LinkedTable("t", "u", "", java.util.Optional.empty());
        assertThatThrownBy(() -> new LinkedTables(alone, List.of(), true)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void node_unknownTable_isRefusedWithoutNamingIt() {
        assertThatThrownBy(() -> hospital().parent("secret_table"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("secret_table");
    }
}
