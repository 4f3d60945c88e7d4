package org.datasandbox.guard.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.sql.SqlNode;
import org.datasandbox.guard.GuardCorpus;
import org.datasandbox.guard.ReferenceCatalog;
import org.datasandbox.guard.parse.SparkSqlParser;
import org.junit.jupiter.api.Test;

/**
 * Trimming is skipped only where it changes nothing: every query of the corpus (and a few shapes with
 * something to trim) is planned with and without the skip, and the plans must be the same, node for node.
 */
class TrimNeedTest {
    private static final List<String> SHAPES = List.of(
            "SELECT district, COUNT(*) AS n, AVG(income) AS avg_income FROM residents GROUP BY district",
            "SELECT sex, COUNT(*) FILTER (WHERE death = 1) AS deaths, AVG(creatinine) FROM patients GROUP BY sex",
            "SELECT d FROM (SELECT district AS d, COUNT(*) AS n FROM residents GROUP BY district) t",
            "SELECT district FROM residents GROUP BY district HAVING COUNT(*) > 5",
            "SELECT district, n FROM (SELECT district, gender, COUNT(*) AS n FROM residents GROUP BY district, gender) t",
            "SELECT district, COUNT(*) AS n FROM residents WHERE income > 100 GROUP BY district ORDER BY n DESC",
            "SELECT district, COUNT(*) AS n FROM residents GROUP BY district ORDER BY district LIMIT 3",
            "SELECT COUNT(DISTINCT person_id) FROM residents",
            "SELECT x FROM (SELECT district AS x, income AS y FROM residents) t GROUP BY x");

    private final ScenarioSchema schema = new ScenarioSchemaCache().schema(new ReferenceCatalog(), ReferenceCatalog.everything());

    @Test
    void plan_everyCorpusQuery_sameWithAndWithoutTheSkippedTrim() throws Exception {
        List<String> queries = new ArrayList<>(SHAPES);
        GuardCorpus.load().forEach(entry -> queries.add(entry.sql()));
        int planned = 0;
        int skipped = 0;
        for (String sql : queries) {
            String trimmed;
            try {
                trimmed = plan(sql, true);
            } catch (RuntimeException e) {
                continue; // refused before a plan exists (syntax, names): nothing to compare
            }
            String maybe = plan(sql, false);
            assertThat(maybe).as(sql).isEqualTo(trimmed);
            planned++;
            SqlNode parsed = SparkSqlParser.parseQuery(sql);
            skipped += TrimNeed.mayTrim(untrimmed(parsed)) ? 0 : 1;
        }
        assertThat(planned).isGreaterThan(250);
        assertThat(skipped).as("plans whose trim is skipped").isGreaterThan(50);
    }

    @Test
    void mayTrim_unusedAggregateOrColumn_isTrue() {
        assertThat(TrimNeed.mayTrim(untrimmed(SparkSqlParser.parseQuery(SHAPES.get(2))))).isTrue();
        assertThat(TrimNeed.mayTrim(untrimmed(SparkSqlParser.parseQuery(SHAPES.get(4))))).isTrue();
        assertThat(TrimNeed.mayTrim(untrimmed(SparkSqlParser.parseQuery(SHAPES.get(5))))).isTrue();
        assertThat(TrimNeed.mayTrim(untrimmed(SparkSqlParser.parseQuery(SHAPES.get(0))))).isFalse();
    }

    private String plan(String sql, boolean alwaysTrim) {
        return RelOptUtil.toString(new QueryPlanner(alwaysTrim).plan(SparkSqlParser.parseQuery(sql), schema).plan());
    }

    /** The plan as the converter gives it, before any pass. */
    private org.apache.calcite.rel.RelNode untrimmed(SqlNode parsed) {
        return new QueryPlanner(false).convertOnly(parsed, schema);
    }
}
