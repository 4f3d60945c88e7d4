package org.datasandbox.core.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OracleDataTest {
    private final OracleData data = OracleData.generate(40, OracleFixture.SEED);

    @Test
    void generate_sameSeed_sameData() {
        assertThat(OracleData.generate(40, OracleFixture.SEED)).isEqualTo(data);
    }

    @Test
    void generate_population_hasTheUniqueValuesAttacksAimAt() {
        assertThat(data.people()).hasSize(40).filteredOn(p -> p.diagnosis().equals("rare")).hasSize(1);
        assertThat(data.visits()).filteredOn(v -> v.icd10().equals("Z99")).hasSize(1);
        assertThat(data.labs()).filteredOn(l -> l.test().equals("zinc")).hasSize(1);
        assertThat(data.people().stream().filter(p -> data.visits().stream().noneMatch(v -> v.pid() == p.pid()))).isNotEmpty();
    }

    @Test
    void without_onePerson_dropsTheirRowsInEveryTable() {
        long pid = data.visits().get(0).pid();
        OracleData neighbour = data.without(pid);
        assertThat(neighbour.people()).hasSize(39).noneMatch(p -> p.pid() == pid);
        assertThat(neighbour.visits()).noneMatch(v -> v.pid() == pid)
                .hasSize((int) data.visits().stream().filter(v -> v.pid() != pid).count());
        assertThat(neighbour.labs()).noneMatch(l -> l.pid() == pid);
    }

    @Test
    void changed_onePerson_movesOnlyTheirMeasures() {
        OracleData.Person person = data.people().get(3);
        OracleData neighbour = data.changed(person.pid());
        OracleData.Person after = neighbour.people().get(3);
        assertThat(after.income()).isGreaterThan(person.income());
        assertThat(after).usingRecursiveComparison().ignoringFields("income").isEqualTo(person);
        for (int i = 0; i < data.people().size(); i++) {
            if (i != 3) {
                assertThat(neighbour.people().get(i)).isEqualTo(data.people().get(i));
            }
        }
        assertThat(neighbour.visits()).hasSameSizeAs(data.visits());
    }
}
