package org.datasandbox.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import org.datasandbox.core.catalog.DatasetColumn;
import org.datasandbox.core.catalog.DatasetDescriptor;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.guard.catalog.ColumnType;
import org.datasandbox.masking.detect.ColumnProfile;
import org.datasandbox.masking.detect.ColumnProfiler;
import org.datasandbox.masking.detect.ColumnProposal;
import org.junit.jupiter.api.Test;

/**
 * Drafts of generated schemas (every type, names that read like keys, ages, measures and health data,
 * any cardinality, empty columns, one row) all pass the validator with the schema as registered. Fast:
 * profiles are generated directly, without Spark; {@code PolicyDraftsTest} covers the Spark profiling.
 */
class PolicyDraftsGeneratedTest {
    private static final List<String> NAMES = List.of("id", "patient_id", "pid", "subject", "visit_no", "age", "futime",
            "income", "salary", "diagnosis", "status", "death", "religion", "birth_date", "seen_at", "notes", "x", "code");

    @Test
    void document_generatedSchemas_everyDraftPassesTheValidator() {
        PolicyParser parser = new PolicyParser(CryptoProfile.of(CryptoProfile.Kind.SM));
        Random random = new Random(20_261_129);
        ColumnType[] types = ColumnType.values();
        for (int table = 0; table < 400; table++) {
            long rows = random.nextInt(4) == 0 ? 1 : 1 + random.nextInt(5_000);
            int width = 1 + random.nextInt(7);
            List<DatasetColumn> columns = new ArrayList<>();
            List<ColumnProfile> profiles = new ArrayList<>();
            for (int c = 0; c < width; c++) {
                ColumnType type = types[random.nextInt(types.length)];
                String name = NAMES.get(random.nextInt(NAMES.size())) + (c == 0 ? "" : "_" + c);
                long distinct = random.nextInt(5) == 0 ? 0 : random.nextBoolean() ? rows : 1 + random.nextInt((int) rows);
                List<String> values = distinct == 0 ? List.of() : List.of(value(type, random), value(type, random));
                columns.add(new DatasetColumn(name, type));
                profiles.add(new ColumnProfile(name, type.name().toLowerCase(Locale.ROOT), rows, distinct,
                        -random.nextInt(100), random.nextInt(200_000) / 7.0, values));
            }
            List<ColumnProposal> proposals = ColumnProfiler.propose(profiles);
            String draft = PolicyDrafts.document("generated", columns, proposals, (int) Math.min(rows, 1_000));
            DatasetDescriptor registered = new DatasetDescriptor("generated", "", columns, rows, "h", "p", "t");
            assertThatCode(() -> assertThat(parser.parse(draft, t -> Optional.of(registered)).table()).isPresent())
                    .as("table %d:%n%s", table, draft).doesNotThrowAnyException();
        }
    }

    private static String value(ColumnType type, Random random) {
        return switch (type) {
            case STRING -> random.nextBoolean() ? "C" + random.nextInt(1_000) : "I" + (10 + random.nextInt(80)) + ".1";
            case INTEGER, BIGINT -> Integer.toString(random.nextInt(10_000));
            case DOUBLE -> random.nextBoolean() ? Double.toString(random.nextInt(500) / 4.0) : random.nextInt(50) + ".0";
            case DATE -> "2020-0" + (1 + random.nextInt(9)) + "-1" + random.nextInt(10);
            case TIMESTAMP -> "2020-01-01T10:00:0" + random.nextInt(10) + "Z";
            case BOOLEAN -> Boolean.toString(random.nextBoolean());
        };
    }
}
