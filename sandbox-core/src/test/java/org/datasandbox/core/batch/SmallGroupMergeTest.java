package org.datasandbox.core.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.datasandbox.core.TestSandbox;
import org.datasandbox.core.config.SandboxConfig;
import org.junit.jupiter.api.Test;

/** A scenario with {@code small_groups: merge} releases one remainder group instead of dropping small ones. */
class SmallGroupMergeTest {

    @Test
    void mergeMode_smallGroupsBecomeOneNullKeyedRemainder() throws Exception {
        TestSandbox.get();
        Path policies = Files.createTempDirectory("merge-policies");
        try (Stream<Path> files = Files.list(TestSandbox.examples().resolve("policies"))) {
            for (Path file : files.toList()) {
                String text = Files.readString(file).replace("  k: 10\n", "  k: 10\n  small_groups: merge\n");
                Files.writeString(policies.resolve(file.getFileName()), text);
            }
        }
        Path data = Files.createTempDirectory("merge-data");
        Files.copy(TestSandbox.examples().resolve("data/arrests.csv"), data.resolve("arrests.csv"));

        // The expected answer, straight from the CSV: people per group of the five dimensions.
        List<String> lines = Files.readAllLines(data.resolve("arrests.csv"));
        Map<List<String>, Integer> people = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.replace("\"", "").split(",");
            people.merge(List.of(f[2], f[3], f[5], f[6], f[7]), 1, Integer::sum); // colour, year, sex, employed, citizen
        }
        int remainder = people.values().stream().filter(n -> n < 10).mapToInt(Integer::intValue).sum();
        long small = people.values().stream().filter(n -> n < 10).count();
        assertThat(small).isGreaterThan(1);
        assertThat(remainder).isGreaterThanOrEqualTo(10);

        try (BatchRunner runner = BatchRunner.open(policies, data, Optional.empty(),
                SandboxConfig.embedded(Files.createTempDirectory("merge-work")))) {
            BatchResult result = runner.run("merge", "SELECT colour, year, sex, employed, citizen, COUNT(*) AS n "
                    + "FROM arrests GROUP BY colour, year, sex, employed, citizen");
            assertThat(result.decision()).isEqualTo("ALLOW");
            Map<List<String>, Long> released = new HashMap<>();
            for (Map<String, Object> row : result.rows()) {
                List<Object> cells = new ArrayList<>(row.values());
                released.put(Arrays.asList(str(cells.get(0)), str(cells.get(1)), str(cells.get(2)), str(cells.get(3)),
                        str(cells.get(4))), ((Number) cells.get(5)).longValue());
            }
            people.forEach((group, n) -> {
                if (n >= 10) {
                    assertThat(released).containsEntry(group, (long) n);
                } else {
                    assertThat(released).doesNotContainKey(group);
                }
            });
            assertThat(released).containsEntry(Arrays.asList(null, null, null, null, null), (long) remainder);
            assertThat(released.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(lines.size() - 1);
        }
    }

    private static String str(Object value) {
        return value == null ? null : value.toString();
    }
}
