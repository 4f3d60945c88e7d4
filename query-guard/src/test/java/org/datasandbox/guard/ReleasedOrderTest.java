package org.datasandbox.guard;

import static org.assertj.core.api.Assertions.assertThat;

import org.datasandbox.guard.catalog.Scenario;
import org.junit.jupiter.api.Test;

/**
 * The released rows' order may depend only on released values: every sort over the released rows is made total by
 * their own values, so that rows tied on the query's keys do not come out in the order they were stored in.
 */
class ReleasedOrderTest {
    private final QueryGuard guard = new QueryGuard(new ReferenceCatalog());
    private final Scenario everything = ReferenceCatalog.everything();

    private String spark(String sql) {
        return guard.check(sql, everything).rewrittenSql().orElseThrow();
    }

    @Test
    void check_orderByAnAggregateValue_breaksTiesByTheReleasedKeys() {
        String sql = spark("SELECT hospital, COUNT(*) AS n FROM medical_visits GROUP BY hospital ORDER BY n DESC LIMIT 2");

        assertThat(sql).containsPattern("(?s)ORDER BY 2 DESC NULLS FIRST, `hospital`\\s+LIMIT 2");
    }

    @Test
    void check_limitWithoutAnOrder_ordersByEveryReleasedValue() {
        String sql = spark("SELECT hospital, COUNT(*) AS n FROM medical_visits GROUP BY hospital LIMIT 2");

        assertThat(sql).containsPattern("(?s)ORDER BY `hospital`, 2\\s+LIMIT 2");
    }

    @Test
    void check_orderByEveryColumn_isLeftAsWritten() {
        String sql = spark("SELECT hospital, COUNT(*) AS n FROM medical_visits GROUP BY hospital ORDER BY n, hospital DESC");

        assertThat(sql).containsPattern("ORDER BY 2 NULLS LAST, `hospital` DESC NULLS FIRST$");
    }

    @Test
    void check_queryWithoutOrderOrLimit_isNotSorted() {
        assertThat(spark("SELECT hospital, COUNT(*) AS n FROM medical_visits GROUP BY hospital")).doesNotContain("ORDER BY");
    }
}
