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
    void check_queryWithoutOrderOrLimit_isSortedByEveryReleasedValue() {
        String sql = spark("SELECT hospital, COUNT(*) AS n FROM medical_visits GROUP BY hospital");

        assertThat(sql).containsPattern("HAVING COUNT\\(DISTINCT `person_id`\\) >= 10\\s+ORDER BY `hospital`, 2$");
    }

    @Test
    void check_unionWithoutOrder_isSortedByEveryReleasedValue() {
        String sql = spark("SELECT hospital, COUNT(*) AS n FROM medical_visits GROUP BY hospital UNION "
                + "SELECT district, COUNT(*) FROM residents GROUP BY district");

        assertThat(sql).containsPattern("(?s)UNION.*\\)\\s*ORDER BY `hospital`, `n`$");
    }

    @Test
    void check_orderByAColumnNotReleased_keepsThatOrder() {
        String sql = spark("SELECT hospital FROM medical_visits GROUP BY hospital ORDER BY COUNT(*) DESC");

        assertThat(sql).containsPattern("ORDER BY 2 DESC NULLS FIRST, `hospital`\\) `\\w+`$");
    }

    @Test
    void check_rowNumberOverTiedCounts_breaksTiesByTheWindowInputsValues() {
        String sql = spark("SELECT hospital, n, ROW_NUMBER() OVER (ORDER BY n DESC) AS r FROM "
                + "(SELECT hospital, COUNT(*) AS n FROM medical_visits GROUP BY hospital) t");

        assertThat(sql).contains("ROW_NUMBER() OVER (ORDER BY COUNT(*) DESC NULLS FIRST, `hospital`)");
    }

    @Test
    void check_lagWithinAPartition_breaksTiesByTheValuesThatAreNotKeys() {
        String sql = spark("SELECT district, gender, n, LAG(gender) OVER (PARTITION BY district ORDER BY n) AS prev FROM "
                + "(SELECT district, gender, COUNT(*) AS n FROM residents GROUP BY district, gender) t");

        assertThat(sql).contains("LAG(`gender`) OVER (PARTITION BY `district` ORDER BY `n` NULLS LAST, `gender`)");
    }

    @Test
    void check_ntileWithoutAnOrder_isOrderedByEveryValue() {
        String sql = spark("SELECT district, NTILE(2) OVER (PARTITION BY n) AS half FROM "
                + "(SELECT district, COUNT(*) AS n FROM residents GROUP BY district) t");

        assertThat(sql).contains("NTILE(2) OVER (PARTITION BY `n` ORDER BY `district` ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)");
    }

    @Test
    void check_windowInTheAggregatesOwnQuery_breaksTiesByItsKeysAndValues() {
        String sql = spark("SELECT hospital, ROW_NUMBER() OVER (ORDER BY COUNT(*)) AS r FROM medical_visits GROUP BY hospital");

        assertThat(sql).contains("ROW_NUMBER() OVER (ORDER BY COUNT(*) NULLS LAST, `hospital`)");
    }

    @Test
    void check_sumOverARowsFrame_breaksTiesSoTheFrameHoldsTheSameRows() {
        String sql = spark("SELECT hospital, SUM(n) OVER (ORDER BY n ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS s FROM "
                + "(SELECT hospital, COUNT(*) AS n FROM medical_visits GROUP BY hospital) t");

        assertThat(sql).contains("SUM(COUNT(*)) OVER (ORDER BY COUNT(*) NULLS LAST, `hospital` ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)");
    }

    @Test
    void check_tieSafeWindows_areLeftAsWritten() {
        String sql = spark("SELECT hospital, n, RANK() OVER (ORDER BY n) AS r, DENSE_RANK() OVER (ORDER BY n) AS d, "
                + "SUM(n) OVER (ORDER BY n) AS running, COUNT(*) OVER (PARTITION BY n) AS ties FROM "
                + "(SELECT hospital, COUNT(*) AS n FROM medical_visits GROUP BY hospital) t");

        assertThat(sql).contains("RANK() OVER (ORDER BY COUNT(*) NULLS LAST)", "DENSE_RANK() OVER (ORDER BY COUNT(*) NULLS LAST)",
                "SUM(COUNT(*)) OVER (ORDER BY COUNT(*) NULLS LAST RANGE", "COUNT(*) OVER (PARTITION BY COUNT(*) RANGE")
                .doesNotContain("NULLS LAST, `hospital`", "PARTITION BY COUNT(*) ORDER BY");
    }
}
