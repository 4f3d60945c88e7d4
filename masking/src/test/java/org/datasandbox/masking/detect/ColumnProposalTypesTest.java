package org.datasandbox.masking.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.datasandbox.masking.function.ValueType;
import org.datasandbox.masking.policy.MaskingFunctions;
import org.junit.jupiter.api.Test;

/**
 * Whatever the profiler proposes must apply as it stands: on generated tables of every column type, name
 * and cardinality, every proposed mask fits its column's type and there is exactly one privacy unit.
 */
class ColumnProposalTypesTest {
    private static final Map<String, ValueType> TYPES = Map.of("string", ValueType.STRING, "integer", ValueType.INTEGER,
            "bigint", ValueType.LONG, "double", ValueType.DOUBLE, "date", ValueType.DATE, "timestamp", ValueType.TIMESTAMP,
            "boolean", ValueType.BOOLEAN);
    private static final List<String> NAMES = List.of("id", "person_id", "patient_no", "age", "fee", "birth_date",
            "diagnosis", "notes", "seen_at", "ward", "key", "x");

    @Test
    void propose_generatedTables_everyMaskFitsItsColumnType() {
        Random random = new Random(20_261_129);
        List<String> types = List.copyOf(TYPES.keySet());
        for (int table = 0; table < 300; table++) {
            List<ColumnProfile> columns = new ArrayList<>();
            int width = 1 + random.nextInt(6);
            long rows = 20 + random.nextInt(2_000);
            for (int c = 0; c < width; c++) {
                String type = types.get(random.nextInt(types.size()));
                long distinct = random.nextBoolean() ? rows : 1 + random.nextInt((int) rows);
                String name = NAMES.get(random.nextInt(NAMES.size())) + (c == 0 ? "" : "_" + c);
                columns.add(new ColumnProfile(name, type, rows, distinct, -50, 90 + random.nextInt(10_000), List.of("v" + c)));
            }
            List<ColumnProposal> proposals = ColumnProfiler.propose(columns);
            assertThat(proposals).filteredOn(p -> p.role() == ColumnProposal.Role.PRIVACY_UNIT).hasSize(1);
            for (int c = 0; c < width; c++) {
                ColumnProposal proposal = proposals.get(c);
                ValueType type = TYPES.get(columns.get(c).type());
                proposal.mask().ifPresent(mask -> assertThatCode(() -> MaskingFunctions.outputType(mask, type))
                        .as(proposal + " on " + type).doesNotThrowAnyException());
            }
        }
    }
}
