package org.datasandbox.core.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.datasandbox.guard.explain.Decision;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Cells that are not intersected: aggregates of two columns that are NULL on different rows of one group
 * (the unmatched sides of two outer joins; UNION ALL branches that fill one column each, of overlapping
 * age ranges or one without the population's rare person). Counts of two such columns side by side give
 * away how many rows have each one NULL: those rows are cells too, backed by the people on them (the
 * unmatched people, the other branch), not by the units of the absent side, which are NULL there (counted
 * so, the first two shapes were suppressed entirely before). Each released value must be moved by at least k people, counted
 * over the rows where its own argument is non-NULL, whatever the other column's rows are; the perturbation
 * oracle judges that without knowing the construction. (The difference of the two values of a row is the
 * differencing residual of threshold mode, as for two queries: the oracle judges values one by one.)
 */
class NullCellsOracleTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT p.district AS k0, COUNT(v.cost) AS a0, COUNT(l.result) AS a1 FROM people p"
                    + " LEFT JOIN visits v ON p.pid = v.pid LEFT JOIN labs l ON p.pid = l.pid GROUP BY p.district",
            "SELECT district AS k0, COUNT(x) AS a0, COUNT(y) AS a1, COUNT(*) AS a2 FROM (SELECT pid, district, income AS x,"
                    + " CAST(NULL AS DOUBLE) AS y FROM people UNION ALL SELECT pid, district, CAST(NULL AS DOUBLE), income"
                    + " FROM people WHERE diagnosis <> 'rare') t GROUP BY district",
            "SELECT p.gender AS k0, AVG(v.cost) AS a0, SUM(l.result) AS a1, COUNT(*) AS a2 FROM people p"
                    + " LEFT JOIN visits v ON p.pid = v.pid LEFT JOIN labs l ON p.pid = l.pid GROUP BY p.gender",
            "SELECT gender AS k0, SUM(x) AS a0, AVG(y) AS a1 FROM (SELECT pid, gender, income AS x, CAST(NULL AS DOUBLE) AS y"
                    + " FROM people WHERE age >= 40 UNION ALL SELECT pid, gender, CAST(NULL AS DOUBLE), income FROM people"
                    + " WHERE age < 60) t GROUP BY gender"})
    void guard_aggregatesOfColumnsNullOnDifferentRows_releaseNothingFewerThanKPeopleMove(String sql) {
        OracleFixture f = OracleFixture.get();
        Decision decision = f.guard.check(sql, f.scenario);
        assertThat(decision.violations()).as("the guard allows the query, so that the oracle judges it").isEmpty();
        PerturbationOracle.Verdict verdict = f.oracle.judge(decision.rewrittenSql().orElseThrow(), 1);
        assertThat(verdict.baseFailure()).isNull();
        assertThat(verdict.movedCells()).as("cells that someone moves (else nothing was released to judge)").isPositive();
        assertThat(verdict.leaks()).as("cells that 1 to k-1 people move").isEqualTo(List.of());
    }
}
