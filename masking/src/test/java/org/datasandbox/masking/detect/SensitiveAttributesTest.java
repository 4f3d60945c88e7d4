package org.datasandbox.masking.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.datasandbox.masking.detect.PrivacyUnitTest.profile;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.datasandbox.masking.detect.ColumnProposal.Role;
import org.junit.jupiter.api.Test;

class SensitiveAttributesTest {
    private static final String[] CHAPTERS = {"Circulatory", "Neoplasms", "Respiratory", "Mental", "Nervous", "Digestive",
        "External Causes", "Ill Defined", "Injury and Poisoning"};

    private static ColumnProposal alone(ColumnProfile column) {
        return ColumnProfiler.propose(List.of(profile("id", "integer", (int) column.rows(), r -> r), column)).get(1);
    }

    @Test
    void propose_namesOfHealthBeliefAndOrigin_areSensitive() {
        for (String name : List.of("diagnosis", "disease_group", "icd_code", "religion", "ethnicity", "race", "colour",
                "主要诊断", "宗教")) {
            assertThat(alone(profile(name, "string", 300, r -> "c" + r % 5)).role()).as(name).isEqualTo(Role.SENSITIVE_ATTRIBUTE);
        }
        assertThat(alone(profile("district", "string", 300, r -> "c" + r % 5)).role()).isEqualTo(Role.DIMENSION);
    }

    @Test
    void propose_icd10CodesUnderAnyName_areSensitiveEvenWithManyValues() {
        Random random = new Random(11);
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            codes.add((char) ('A' + random.nextInt(20)) + String.format("%02d", random.nextInt(100))
                    + (random.nextBoolean() ? "." + random.nextInt(10) : ""));
        }
        ColumnProposal proposal = alone(profile("c7", "string", 400, codes::get));
        assertThat(proposal.role()).isEqualTo(Role.SENSITIVE_ATTRIBUTE);
        assertThat(proposal.evidence()).contains("ICD-10 diagnosis codes");
        ColumnProposal chapter = alone(profile("chapter", "string", 400, r -> CHAPTERS[r % CHAPTERS.length]));
        assertThat(chapter.role()).isEqualTo(Role.SENSITIVE_ATTRIBUTE);
        assertThat(chapter.evidence()).contains("ICD-10 chapter names");
    }

    @Test
    void propose_statusAndDeathFlags_areSensitiveOnHealthTablesOnly() {
        List<ColumnProfile> health = List.of(profile("patient_id", "integer", 300, r -> r),
                profile("death", "integer", 300, r -> r % 2), profile("status", "string", 300, r -> r % 3 == 0 ? "A" : "B"),
                profile("futime", "integer", 300, r -> r * 5));
        assertThat(ColumnProfiler.propose(health)).extracting(ColumnProposal::role)
                .containsExactly(Role.PRIVACY_UNIT, Role.SENSITIVE_ATTRIBUTE, Role.SENSITIVE_ATTRIBUTE, Role.MEASURE);
        List<ColumnProfile> orders = List.of(profile("order_id", "integer", 300, r -> r),
                profile("status", "string", 300, r -> r % 3 == 0 ? "A" : "B"));
        assertThat(ColumnProfiler.propose(orders).get(1).role()).isEqualTo(Role.DIMENSION);
    }

    @Test
    void propose_incomeInCategoriesIsSensitive_incomeAsANumberIsAMeasure() {
        assertThat(alone(profile("salary", "string", 300, r -> r % 2 == 0 ? "<=50K" : ">50K")).role())
                .isEqualTo(Role.SENSITIVE_ATTRIBUTE);
        assertThat(alone(profile("income", "double", 300, r -> 1000 + r * 17.5)).role()).isEqualTo(Role.MEASURE);
    }

    /** Evidence is about columns, never their contents: no sampled value appears in any evidence. */
    @Test
    void propose_evidence_namesNoValue() {
        Random random = new Random(5);
        List<ColumnProfile> columns = List.of(
                profile("subject", "string", 200, r -> "SUBJ" + (9000 + r / 2)),
                profile("diagnosis", "string", 200, r -> "Z" + (10 + random.nextInt(80)) + ".7"),
                profile("chapter", "string", 200, r -> CHAPTERS[r % CHAPTERS.length]),
                profile("religion", "string", 200, r -> r % 2 == 0 ? "Quakerism" : "Jainism"),
                profile("salary", "string", 200, r -> r % 2 == 0 ? "band-low" : "band-high"),
                profile("creatinine", "double", 200, r -> 0.4 + r * 0.013),
                profile("death", "boolean", 200, r -> r % 4 == 0));
        Set<String> values = new HashSet<>();
        columns.forEach(c -> c.values().stream().filter(v -> v.length() >= 3).forEach(values::add));
        for (ColumnProposal proposal : ColumnProfiler.propose(columns)) {
            for (String value : values) {
                assertThat(proposal.evidence()).as(proposal.column()).doesNotContain(value);
            }
        }
    }
}
