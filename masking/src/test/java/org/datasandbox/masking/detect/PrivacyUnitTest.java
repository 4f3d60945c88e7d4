package org.datasandbox.masking.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.IntFunction;
import org.datasandbox.masking.detect.ColumnProposal.Role;
import org.junit.jupiter.api.Test;

/**
 * The privacy unit is the column that identifies people. The oracle is the generator: it knows which
 * column it filled with one value per person, and the profiler sees only the profiles.
 */
class PrivacyUnitTest {

    /** A column profiled the way the draft writer does it: rows, distinct non-empty values, range, values as text. */
    static ColumnProfile profile(String name, String type, int rows, IntFunction<Object> value) {
        List<String> values = new ArrayList<>();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int row = 0; row < rows; row++) {
            Object v = value.apply(row);
            if (v != null) {
                values.add(v.toString());
                if (v instanceof Number n) {
                    min = Math.min(min, n.doubleValue());
                    max = Math.max(max, n.doubleValue());
                }
            }
        }
        long distinct = new HashSet<>(values).size();
        return new ColumnProfile(name, type, rows, distinct, Double.isFinite(min) ? min : 0, Double.isFinite(max) ? max : 0,
                values.subList(0, Math.min(values.size(), 1_000)));
    }

    private static Role role(List<ColumnProfile> columns, List<ColumnProposal> proposals, String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return proposals.get(i).role();
            }
        }
        throw new AssertionError("no column " + name);
    }

    @Test
    void propose_followUpTableWithTwoRowsPerPatient_repeatedIdIsTheUnitAndTheFollowUpTimeAMeasure() {
        int rows = 1_858; // 929 patients, two rows each, as in the colon table
        List<ColumnProfile> columns = List.of(
                profile("id", "integer", rows, r -> 1 + r / 2),
                profile("age", "integer", rows, r -> 18 + (r / 2) % 70),
                profile("nodes", "integer", rows, r -> (r * 7) % 33),
                profile("status", "integer", rows, r -> r % 2),
                profile("futime", "integer", rows, r -> 20 + r * 3)); // unique per row
        List<ColumnProposal> proposals = ColumnProfiler.propose(columns);
        assertThat(proposals.get(0).role()).isEqualTo(Role.PRIVACY_UNIT);
        assertThat(proposals.get(0).evidence()).contains("repeated ids").contains("2.0 rows per value");
        assertThat(proposals.get(4).role()).isEqualTo(Role.MEASURE);
    }

    @Test
    void propose_uniqueFloatsAndTimestamps_areNeverTheUnit() {
        int rows = 500;
        List<ColumnProfile> columns = List.of(
                profile("reading", "double", rows, r -> 0.5 + r * 1.25),
                profile("seen_at", "timestamp", rows, r -> "2024-01-01 10:00:" + String.format("%02d", r % 60) + "." + r),
                profile("subject", "integer", rows, r -> 1 + r / 5),
                profile("site", "string", rows, r -> "S" + r % 4));
        List<ColumnProposal> proposals = ColumnProfiler.propose(columns);
        assertThat(proposals).extracting(ColumnProposal::role)
                .containsExactly(Role.MEASURE, Role.QUASI_IDENTIFIER, Role.PRIVACY_UNIT, Role.DIMENSION);
    }

    @Test
    void propose_keysWithAMaskOfTheirOwn_leaveTheUnitToThePlainKey() {
        int rows = 300;
        List<ColumnProfile> columns = List.of(
                profile("phone_no", "string", rows, r -> "138" + String.format("%08d", r * 7919)),
                profile("age", "integer", rows, r -> 18 + r % 70),
                profile("id", "integer", rows, r -> r / 3));
        List<ColumnProposal> proposals = ColumnProfiler.propose(columns);
        assertThat(proposals).extracting(ColumnProposal::role)
                .containsExactly(Role.DIRECT_IDENTIFIER, Role.QUASI_IDENTIFIER, Role.PRIVACY_UNIT);
        assertThat(proposals.get(0).mask().orElseThrow().function()).isEqualTo("mobile");
        assertThat(proposals.get(2).evidence()).doesNotContain("check it");
    }

    @Test
    void propose_noKeyAtAll_saysItIsUnsure() {
        List<ColumnProfile> columns = List.of(
                profile("site", "string", 300, r -> "S" + r % 4),
                profile("weight", "double", 300, r -> 50 + r * 0.1),
                profile("futime", "integer", 300, r -> 7 + r * 3),
                profile("x", "integer", 300, r -> r % 150));
        List<ColumnProposal> proposals = ColumnProfiler.propose(columns);
        assertThat(proposals).filteredOn(p -> p.role() == Role.PRIVACY_UNIT).singleElement()
                .satisfies(p -> assertThat(p.column()).isEqualTo("x"))
                .satisfies(p -> assertThat(p.evidence()).contains("check it"));
    }

    /**
     * Generated multi-row tables in random column order, with 1 to 6 rows per person, a row number and
     * decoys (a unique measurement, a repeated category, a timestamp): the person column is always the
     * unit, and no column the generator filled with ids is ever a measure.
     */
    @Test
    void propose_generatedMultiRowTables_unitIsThePersonColumn() {
        Random random = new Random(20_261_129);
        List<String> personNames = List.of("patient_id", "person_id", "pid", "subject", "member_no", "customer_id", "id");
        for (int table = 0; table < 200; table++) {
            int perPerson = 1 + random.nextInt(6);
            int people = 20 + random.nextInt(400);
            int rows = people * perPerson;
            String person = personNames.get(random.nextInt(personNames.size()));
            boolean textIds = random.nextBoolean();
            int offset = random.nextInt(100_000);
            List<ColumnProfile> columns = new ArrayList<>();
            columns.add(profile(person, textIds ? "string" : "integer", rows,
                    r -> textIds ? "P" + (offset + r / perPerson) : (Object) (offset + r / perPerson)));
            columns.add(profile("futime", "integer", rows, r -> 1 + r * 13));
            columns.add(profile("value", "double", rows, r -> r * 0.37 + 0.01));
            columns.add(profile("ward", "string", rows, r -> "W" + r % 7));
            columns.add(profile("visit_time", "timestamp", rows, r -> "2024-02-03 04:05:" + r));
            columns.add(profile("flag", "boolean", rows, r -> r % 3 == 0));
            if (!person.equals("id") && perPerson > 1 && random.nextBoolean()) {
                // a row number that precedes the person key: distinct per row, but not the person
                columns.add(0, profile("visit_no", "integer", rows, r -> r + 1));
            }
            List<ColumnProfile> shuffled = new ArrayList<>(columns);
            Collections.shuffle(shuffled, random);
            List<ColumnProposal> proposals = ColumnProfiler.propose(shuffled);
            assertThat(proposals).filteredOn(p -> p.role() == Role.PRIVACY_UNIT).singleElement()
                    .as("table %d: %s, %d rows per person", table, person, perPerson)
                    .satisfies(p -> assertThat(p.column()).isEqualTo(person));
            assertThat(role(shuffled, proposals, "futime")).isEqualTo(Role.MEASURE);
            assertThat(role(shuffled, proposals, "value")).isEqualTo(Role.MEASURE);
            assertThat(proposals).filteredOn(p -> p.column().equals("visit_no"))
                    .allSatisfy(p -> assertThat(p.role()).isEqualTo(Role.DIRECT_IDENTIFIER));
            assertThat(proposals).allSatisfy(p -> assertThat(p.evidence()).isNotBlank());
            assertThat(Objects.requireNonNull(proposals)).hasSize(shuffled.size());
        }
    }
}
