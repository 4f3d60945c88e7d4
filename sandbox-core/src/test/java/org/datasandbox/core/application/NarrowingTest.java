package org.datasandbox.core.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.datasandbox.core.SandboxException;
import org.junit.jupiter.api.Test;

/**
 * The narrowing rule checked on generated narrowings against an oracle that knows only the rule's definition
 * (each granted set a subset of the asked one, each figure the same or stricter), not the code's checks.
 */
class NarrowingTest {
    private static final List<String> COLUMNS = List.of("a", "b", "c", "d");
    private static final ApplicationRequest ASKED = new ApplicationRequest("study", "Org", "purpose",
            Map.of("t1", Set.of("a", "b", "c"), "t2", Set.of("d")), "counts", "threshold", 10, 5, 365, List.of("Wang Fang"));

    private static boolean stricterOrSame(Narrowing narrowing) {
        Map<String, Set<String>> grants = narrowing.grants().isEmpty() ? ASKED.grants() : narrowing.grants();
        boolean columns = grants.entrySet().stream().allMatch(g -> ASKED.grants().containsKey(g.getKey())
                && ASKED.grants().get(g.getKey()).containsAll(g.getValue()));
        String mode = narrowing.mode() == null || narrowing.mode().isEmpty() ? "threshold" : narrowing.mode();
        boolean k = mode.equals("dp") || narrowing.minGroupSize() == 0 || narrowing.minGroupSize() >= 10;
        return columns && narrowing.termDays() <= 365 && k && narrowing.epsilon() <= 5;
    }

    @Test
    void apply_generatedNarrowings_isAcceptedExactlyWhenNothingWidens() {
        Random random = new Random(12);
        int accepted = 0;
        for (int i = 0; i < 2_000; i++) {
            Map<String, Set<String>> grants = new java.util.HashMap<>();
            for (String table : List.of("t1", "t2", "t3")) {
                if (random.nextInt(3) == 0) {
                    Set<String> columns = new TreeSet<>();
                    COLUMNS.forEach(c -> {
                        if (random.nextInt(3) == 0) {
                            columns.add(c);
                        }
                    });
                    if (!columns.isEmpty()) {
                        grants.put(table, columns);
                    }
                }
            }
            Narrowing narrowing = new Narrowing(grants, random.nextInt(3) == 0 ? 0 : random.nextInt(400) + 1,
                    List.of("", "threshold", "dp").get(random.nextInt(3)), random.nextInt(3) == 0 ? 0 : random.nextInt(20) + 2,
                    random.nextInt(3) == 0 ? 0 : random.nextInt(8) + 0.5);
            if (stricterOrSame(narrowing)) {
                ApplicationRequest granted = narrowing.apply(ASKED);
                accepted++;
                assertThat(granted.termDays()).isLessThanOrEqualTo(ASKED.termDays());
                assertThat(granted.epsilon()).isLessThanOrEqualTo(ASKED.epsilon());
                granted.grants().forEach((t, c) -> assertThat(ASKED.grants().get(t)).containsAll(c));
            } else {
                assertThatThrownBy(() -> narrowing.apply(ASKED)).as(narrowing.toString())
                        .isInstanceOf(SandboxException.class);
            }
        }
        assertThat(accepted).isBetween(20, 1_990); // both outcomes were exercised
    }

    @Test
    void apply_dpApplication_cannotBeNarrowedToThreshold() {
        ApplicationRequest dp = new ApplicationRequest("study", "Org", "purpose", Map.of("t1", Set.of("a")), "counts",
                "dp", 0, 5, 30, List.of());
        assertThatThrownBy(() -> new Narrowing(Map.of(), 0, "threshold", 10, 0).apply(dp))
                .isInstanceOf(SandboxException.class);
        assertThat(new Narrowing(Map.of(), 10, "", 0, 1).apply(dp).mode()).isEqualTo("dp");
    }

    @Test
    void request_allColumnsOrTooLongATerm_isRefused() {
        assertThatThrownBy(() -> new ApplicationRequest("study", "Org", "purpose", Map.of("t1", Set.of("*")), "counts",
                "threshold", 10, 5, 30, List.of())).isInstanceOf(SandboxException.class);
        assertThatThrownBy(() -> new ApplicationRequest("study", "Org", "purpose", Map.of("t1", Set.of("a")), "counts",
                "threshold", 10, 5, 3 * 366 + 1, List.of())).isInstanceOf(SandboxException.class);
        assertThatThrownBy(() -> new ApplicationRequest("study", "Org", " ", Map.of("t1", Set.of("a")), "counts",
                "threshold", 10, 5, 30, List.of())).isInstanceOf(SandboxException.class);
    }
}
