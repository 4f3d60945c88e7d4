package org.datasandbox.sample.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DependencyModelTest {

    @Test
    void groups_keepNoValueAlone_andSplitTheRestIntoEvenRuns() {
        assertThat(DependencyModel.groups(33)).containsExactly(0, 1, 5, 10, 14, 19, 23, 28, 33);
        assertThat(DependencyModel.groups(5)).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(DependencyModel.groups(1)).containsExactly(0, 1);
        int[] many = DependencyModel.groups(200);
        assertThat(many).hasSize(DependencyModel.GROUPS + 1);
        for (int g = 0; g + 1 < many.length; g++) {
            assertThat(many[g + 1]).isGreaterThan(many[g]);
        }
    }
}
