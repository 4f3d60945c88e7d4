package org.datasandbox.core.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlFuzzerTest {

    @Test
    void generate_sameSeed_sameQueries() {
        assertThat(new SqlFuzzer(7).generate(200)).isEqualTo(new SqlFuzzer(7).generate(200));
        assertThat(new SqlFuzzer(7).generate(50)).isNotEqualTo(new SqlFuzzer(8).generate(50));
    }

    @Test
    void generate_manyQueries_coverEveryShapeOfTheGrammar() {
        List<SqlFuzzer.FuzzQuery> queries = new SqlFuzzer(7).generate(3000);
        String shapes = String.join("|", queries.stream().map(SqlFuzzer.FuzzQuery::shape).toList());
        for (String shape : List.of("from people", "from visits", "from labs", "left join", "right join", "full join",
                "left semi join", "left anti join", "sub-query", "cte", "union all padding", "visits join sub-query",
                "two marginals", "histogram", "at least n visits", "key age bucket", "key fine age", "agg rate",
                "agg filter count", "agg case sum", "agg extreme of dimension", "agg count of narrowing cast",
                "agg product of terms", "agg floor division indicator", "where one-sided range", "where or filter",
                "where identifier filter", "where scalar sub-query filter", "having", "nested projection", "union all empty branch",
                "union all split branches", "branches", "agg count of nullable column", "agg sum of two measures",
                "agg share of total", "where literal like pattern", "agg like pattern in a cell", "aggregate of per-person values", "marginals of disjoint parts",
                "people on the unit", "visits per person",
                "combined marginal and total union all", "combined share of a scalar total", "combined marginals joined",
                "combined share of another marginal", "combined total minus group", "combined total minus released groups",
                "combined sum over a union with the total", "combined having compared with a total", "combined sum of shares", "null cells of two outer joins",
                "null cells of two union branches")) {
            assertThat(shapes).as(shape).contains(shape);
        }
        assertThat(queries).filteredOn(SqlFuzzer.FuzzQuery::h2).hasSizeGreaterThan(30);
    }

    @Test
    void generate_h2Queries_haveTheirKeysFirstAndAUnit() {
        for (SqlFuzzer.FuzzQuery query : new SqlFuzzer(3).generate(500)) {
            if (query.h2() && query.h2Unit() == null) {
                assertThat(query.shape()).startsWith("combined");
                assertThat(query.h2Keys()).hasSize(query.keys());
            } else if (query.h2()) {
                assertThat(query.h2Unit()).endsWith("pid");
                assertThat(query.h2Keys()).hasSize(query.keys());
                for (int i = 0; i < query.keys(); i++) {
                    assertThat(query.sql()).contains(" AS k" + i);
                }
            }
        }
    }
}
