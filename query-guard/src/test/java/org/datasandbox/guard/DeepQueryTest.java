package org.datasandbox.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.datasandbox.guard.explain.Decision;
import org.datasandbox.guard.explain.RuleId;
import org.datasandbox.guard.explain.Violation;
import org.datasandbox.guard.parse.QueryDepth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Deeply nested queries, generated: each is refused as QUERY_TOO_LARGE, and the whole guard runs on a
 * thread with a 512 KiB stack (smaller than the server's) without a StackOverflowError anywhere.
 */
class DeepQueryTest {
    private static final String WHERE = "SELECT COUNT(*) FROM residents WHERE ";

    static Stream<String> deepQueries() {
        return Stream.of(
                WHERE + "(".repeat(5_000) + "income > 0" + ")".repeat(5_000),
                WHERE + "income > " + "(".repeat(200) + "1" + ")".repeat(200),
                "SELECT COUNT(*) FROM " + "(SELECT * FROM ".repeat(500) + "residents" + ") t".repeat(500),
                WHERE + "NOT ".repeat(15_000) + "income > 0",
                WHERE + "income > " + "- ".repeat(30_000) + "1",
                WHERE + "income > 1 AND ".repeat(4_000) + "income > 0",
                WHERE + "income = 1 OR ".repeat(QueryDepth.MAX_TREE_DEPTH) + "income = 2",
                WHERE + "income > 0 " + "+ 1 ".repeat(15_000) + " > 0",
                "SELECT COUNT(*) FROM residents WHERE income IN (" + "CASE WHEN income > 0 THEN ".repeat(2_000) + "1"
                        + " END".repeat(2_000) + ")");
    }

    @ParameterizedTest
    @MethodSource("deepQueries")
    void check_deepQuery_isQueryTooLargeOnASmallStack(String sql) throws Exception {
        Decision decision = onSmallStack(sql);
        Violation violation = decision.firstViolation().orElseThrow();
        assertThat(violation.rule()).as(violation.message()).isEqualTo(RuleId.QUERY_TOO_LARGE);
        assertThat(violation.message()).contains("nested too deeply");
    }

    @Test
    void check_oneMegabyteExpression_isQueryTooLarge() throws Exception {
        String sql = WHERE + "income > 0 AND income < " + "9".repeat(1 << 20);
        assertThat(onSmallStack(sql).firstViolation().orElseThrow().rule()).isEqualTo(RuleId.QUERY_TOO_LARGE);
    }

    @Test
    void check_nestingAnAnalystWrites_isNotRefusedForDepth() throws Exception {
        String ors = WHERE + "(" + "income = 1 OR ".repeat(100) + "income = 2) AND ((income > ((1))))";
        Decision decision = onSmallStack(ors);
        // decided on its merits (the guard's other rules), not refused for its depth or for failing analysis
        assertThat(decision.violations()).as(decision.violations().toString())
                .noneMatch(v -> v.rule() == RuleId.QUERY_TOO_LARGE || v.rule() == RuleId.UNSUPPORTED_CONSTRUCT);
        assertThat(onSmallStack("SELECT COUNT(*) FROM residents WHERE name = '" + "(".repeat(500) + "'")
                .violations()).noneMatch(v -> v.rule() == RuleId.QUERY_TOO_LARGE);
    }

    private static Decision onSmallStack(String sql) throws InterruptedException {
        AtomicReference<Object> result = new AtomicReference<>();
        Thread thread = new Thread(null, () -> {
            try {
                result.set(new QueryGuard(new ReferenceCatalog()).check(sql, ReferenceCatalog.everything()));
            } catch (Throwable e) {
                result.set(e);
            }
        }, "small-stack", 512 * 1024);
        thread.start();
        thread.join();
        assertThat(result.get()).as("no exception or error escapes the guard").isInstanceOf(Decision.class);
        return (Decision) result.get();
    }
}
