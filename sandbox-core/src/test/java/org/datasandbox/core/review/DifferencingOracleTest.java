package org.datasandbox.core.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.TestSandbox;
import org.datasandbox.core.identity.Identity;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.job.JobEvent;
import org.datasandbox.core.job.JobState;
import org.datasandbox.core.release.ArrowResults;
import org.junit.jupiter.api.Test;

/**
 * The differencing check against an oracle that does not know how it works: generated pairs of range filters (the
 * second a small shift of the first, so that the two often differ by a few people) on a generated table of 30
 * people, submitted in turn through the job path of a real sandbox in threshold mode (k = 5). The oracle computes
 * each query's cells and their people from the raw rows in plain Java and keeps the cells that left; a query must
 * be held exactly when one of its released cells and an earlier released cell differ by some, but fewer than k,
 * people in either direction, and otherwise released with the oracle's counts.
 */
class DifferencingOracleTest {
    private static final int K = 5;

    private record Person(int id, int age, String ward) {
    }

    /** One job's end: HELD or RELEASED (with its rows). */
    private record Outcome(JobState state, List<Map<String, Object>> rows) {
    }

    private static Outcome run(Sandbox sandbox, Identity developer, String sql) throws Exception {
        String job = sandbox.submitJob(developer, SCENARIO, sql).jobId();
        CompletableFuture<JobEvent> end = new CompletableFuture<>();
        sandbox.watchJob(developer, job, e -> {
            if (e.state().isTerminal()) {
                end.complete(e);
            }
        });
        JobEvent last = end.get(120, TimeUnit.SECONDS);
        if (last.state() != JobState.RELEASED) {
            return new Outcome(last.state(), List.of());
        }
        return new Outcome(last.state(), ArrowResults.decode(sandbox.fetchResult(developer, job).arrowIpc()).records());
    }

    private static final String SCENARIO = "differencing-oracle";

    @Test
    void generatedFilterPairs_heldExactlyWhenTheUnitDifferenceIsBelowK() throws Exception {
        Sandbox sandbox = TestSandbox.get();
        Identity developer = TestSandbox.as(Role.DEVELOPER);
        Random random = new Random(2026);
        List<Person> people = new ArrayList<>();
        StringBuilder csv = new StringBuilder("person_id,age,ward\n");
        for (int id = 1; id <= 30; id++) {
            Person p = new Person(id, 18 + random.nextInt(70), random.nextBoolean() ? "A" : "B");
            people.add(p);
            csv.append(p.id()).append(',').append(p.age()).append(',').append(p.ward()).append('\n');
        }
        sandbox.registerDataset(TestSandbox.as(Role.PROVIDER), "diff_people", "", csv.toString()
                .getBytes(StandardCharsets.UTF_8), Map.of());
        Identity admin = TestSandbox.as(Role.ADMIN);
        sandbox.applyPolicy(admin, "kind: table-policy\ntable: diff_people\noutput: {mode: threshold, k: " + K + "}\n"
                + "columns:\n  - {name: person_id, role: privacy_unit}\n  - {name: age, role: dimension}\n"
                + "  - {name: ward, role: dimension}\n");
        sandbox.applyPolicy(admin, "kind: scenario\nid: " + SCENARIO + "\npurpose: differencing oracle\n"
                + "developers: [\"" + developer.name() + "\"]\noutput: {mode: threshold, k: " + K + "}\n"
                + "grants: {diff_people: [\"*\"]}\n");

        List<Set<Integer>> releasedCells = new ArrayList<>(); // the oracle's history
        int held = 0;
        int released = 0;
        {
            for (int pair = 0; pair < 12; pair++) {
                int low = 18 + random.nextInt(40);
                int high = low + 10 + random.nextInt(30);
                int shift = random.nextInt(7) - 3;
                boolean grouped = random.nextInt(3) == 0;
                for (int[] range : List.of(new int[] {low, high}, new int[] {low + (pair % 2 == 0 ? shift : 0),
                        high + (pair % 2 == 0 ? 0 : shift)})) {
                    String where = "age BETWEEN " + range[0] + " AND " + range[1];
                    String sql = grouped ? "SELECT ward, COUNT(*) AS n FROM diff_people WHERE " + where + " GROUP BY ward"
                            : "SELECT COUNT(*) AS n FROM diff_people WHERE " + where;
                    // the oracle: the query's cells from the raw rows, those with k people released
                    Map<String, Set<Integer>> cells = new TreeMap<>();
                    for (Person p : people) {
                        if (p.age() >= range[0] && p.age() <= range[1]) {
                            cells.computeIfAbsent(grouped ? p.ward() : "", x -> new HashSet<>()).add(p.id());
                        }
                    }
                    Map<String, Set<Integer>> out = new LinkedHashMap<>();
                    cells.forEach((key, units) -> {
                        if (units.size() >= K) {
                            out.put(key, units);
                        }
                    });
                    boolean expectHeld = out.values().stream().anyMatch(cell -> releasedCells.stream().anyMatch(
                            earlier -> below(cell, earlier) || below(earlier, cell)));

                    Outcome result = run(sandbox, developer, sql);
                    if (expectHeld) {
                        assertThat(result.state()).as("held: " + sql).isEqualTo(JobState.HELD);
                        held++;
                    } else {
                        assertThat(result.state()).as("released: " + sql).isEqualTo(JobState.RELEASED);
                        Map<String, Long> counts = new TreeMap<>();
                        for (Map<String, Object> row : result.rows()) {
                            counts.put(grouped ? (String) row.get("ward") : "", ((Number) row.get("n")).longValue());
                        }
                        Map<String, Long> expected = new TreeMap<>();
                        out.forEach((key, units) -> expected.put(key, (long) units.size()));
                        assertThat(counts).as(sql).isEqualTo(expected);
                        releasedCells.addAll(out.values());
                        released++;
                    }
                }
            }
        }
        // the generated pairs exercised both outcomes
        System.out.println("differencing oracle: " + held + " held, " + released + " released, 0 disagreements");
        assertThat(held).isPositive();
        assertThat(released).isPositive();
    }

    /** Some of a's people are not in b, and fewer than k. */
    private static boolean below(Set<Integer> a, Set<Integer> b) {
        long onlyA = a.stream().filter(u -> !b.contains(u)).count();
        return onlyA > 0 && onlyA < K;
    }
}
