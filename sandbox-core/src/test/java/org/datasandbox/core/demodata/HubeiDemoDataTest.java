package org.datasandbox.core.demodata;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.datasandbox.masking.id.MobileNumber;
import org.datasandbox.masking.id.ResidentIdNumber;
import org.junit.jupiter.api.Test;

class HubeiDemoDataTest {

    @Test
    void generate_sameSeed_sameTables() {
        assertThat(HubeiDemoData.generate(200, 5).residentsCsv()).isEqualTo(HubeiDemoData.generate(200, 5).residentsCsv());
        assertThat(HubeiDemoData.generate(200, 5).residentsCsv()).isNotEqualTo(HubeiDemoData.generate(200, 6).residentsCsv());
    }

    @Test
    void generate_residents_haveValidConsistentIdentifiers() {
        HubeiDemoData.Tables tables = HubeiDemoData.generate(2_000, 1);
        assertThat(tables.residents()).hasSize(2_000);
        for (String[] r : tables.residents()) {
            String id = r[1];
            assertThat(ResidentIdNumber.isValid(id)).as(id).isTrue();
            assertThat(ResidentIdNumber.birthDate(id)).contains(LocalDate.parse(r[5]));
            assertThat((id.charAt(16) - '0') % 2 == 1).isEqualTo(r[4].equals("男"));
            assertThat(MobileNumber.isValid(r[3])).as(r[3]).isTrue();
            assertThat(r[7]).startsWith("湖北省").contains(r[6]);
            assertThat(Double.parseDouble(r[8])).isBetween(0.0, 1_000_000.0);
        }
        assertThat(tables.residents().stream().map(r -> r[6]).collect(Collectors.toSet())).hasSizeGreaterThan(15);
    }

    @Test
    void generate_visits_pointToResidents() {
        HubeiDemoData.Tables tables = HubeiDemoData.generate(500, 3);
        Set<String> people = tables.residents().stream().map(r -> r[0]).collect(Collectors.toSet());
        assertThat(tables.visits()).isNotEmpty().allSatisfy(v -> assertThat(people).contains(v[1]));
        assertThat(tables.visits().stream().map(v -> v[0]).distinct().count()).isEqualTo(tables.visits().size());
        assertThat(Arrays.asList(HubeiDemoData.Tables.VISIT_HEADER)).containsExactlyElementsOf(
                HubeiDemoData.VISIT_TYPES.keySet().stream().sorted((a, b) -> Arrays.asList(HubeiDemoData.Tables.VISIT_HEADER).indexOf(a)
                        - Arrays.asList(HubeiDemoData.Tables.VISIT_HEADER).indexOf(b)).toList());
    }
}
