package org.datasandbox.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.datasandbox.guard.explain.Decision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every corpus query through the real guard: attacks are refused with their rule, analyst queries are
 * allowed. Execution on Spark against an independent oracle is in sandbox-core's GuardCorpusExecutionTest.
 */
class GuardCorpusTest {
    private static final QueryGuard GUARD = new QueryGuard(new ReferenceCatalog());

    static List<GuardCorpus.Entry> corpus() throws Exception {
        return GuardCorpus.load();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void check_corpusQuery_meetsItsExpectation(GuardCorpus.Entry entry) {
        Decision decision = GUARD.check(entry.sql(), ReferenceCatalog.everything());
        if (entry.expectsAllow()) {
            assertThat(decision.violations()).as(entry.sql()).isEmpty();
            assertThat(decision.rewrittenSql()).isPresent();
        } else {
            assertThat(decision.outcome()).as(entry.sql()).isEqualTo(Decision.Outcome.REJECT);
            assertThat(decision.firstViolation().orElseThrow().rule().name()).as(entry.sql() + " -> " + decision.violations())
                    .isEqualTo(entry.rule());
        }
    }

    @Test
    void corpus_isLargeAndBalanced() throws Exception {
        List<GuardCorpus.Entry> entries = GuardCorpus.load();
        assertThat(entries).hasSizeGreaterThanOrEqualTo(150);
        assertThat(entries.stream().filter(GuardCorpus.Entry::expectsAllow).count()).isGreaterThanOrEqualTo(75);
        assertThat(entries.stream().filter(e -> !e.expectsAllow()).count()).isGreaterThanOrEqualTo(75);
    }
}
