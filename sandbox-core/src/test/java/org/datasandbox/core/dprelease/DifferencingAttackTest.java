package org.datasandbox.core.dprelease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.datasandbox.dp.noise.DiscreteLaplace;
import org.datasandbox.dp.noise.RandomSource;
import org.datasandbox.guard.QueryGuard;
import org.datasandbox.guard.catalog.ContributionBounds;
import org.datasandbox.guard.catalog.OutputMode;
import org.datasandbox.guard.catalog.Scenario;
import org.datasandbox.guard.dp.DpQuery;
import org.datasandbox.guard.explain.Decision;
import org.junit.jupiter.api.Test;

/**
 * The two-query differencing attack: the total income, and the same total without one district, in which one
 * person lives alone. In threshold mode both totals have far more than k people behind them, so both are released
 * and their difference is that person's income, exactly. In DP mode the same two totals are noisy, and over many
 * runs the difference misses the income by an error whose variance is that of two independent noises: the attacker
 * learns nothing better than noise.
 */
class DifferencingAttackTest {
    private static final String TOTAL = "SELECT SUM(income) AS total FROM people";
    private static final String WITHOUT_TINY = "SELECT SUM(income) AS total FROM people WHERE district <> 'tiny'";
    private static final int RUNS = 3_000;

    @Test
    void differencing_thresholdMode_revealsOnePersonsExactIncome() throws Exception {
        DpWorld world = DpWorld.withLifetimeEpsilon(10);
        QueryGuard guard = new QueryGuard(DpWorld.CATALOG);
        Scenario threshold = new Scenario("threshold", Map.of("people", Set.of("pid", "district", "income")),
                OutputMode.THRESHOLD, 10);
        double all = released(world, guard.check(TOTAL, threshold));
        double rest = released(world, guard.check(WITHOUT_TINY, threshold));

        assertThat(all - rest).isCloseTo(DpWorld.TARGET_INCOME, within(1e-6));
    }

    @Test
    void differencing_dpMode_differenceIsTheTargetPlusNoiseOfTheTheoreticalVariance() throws Exception {
        DpWorld world = DpWorld.withLifetimeEpsilon(10);
        DpQuery all = DpWorld.total("");
        DpQuery rest = DpWorld.total("WHERE district <> 'tiny'");

        assertDifferenceIsNoise(all, world.spark.sql(all.sparkSql()), rest, world.spark.sql(rest.sparkSql()));
    }

    /**
     * The same attack on the production path: the guard plans both totals, the originals are stored bucketed and
     * sorted by the unit, so the streaming pass bounds them (its partials, not the rewrite's SQL, reach the noise).
     */
    @Test
    void differencing_dpModeStreamingPath_differenceIsTheTargetPlusNoiseOfTheTheoreticalVariance() throws Exception {
        DpWorld world = DpWorld.withLifetimeEpsilon(10).storedByUnit(false);
        QueryGuard guard = new QueryGuard(DpWorld.CATALOG, new java.util.SplittableRandom(5));
        Scenario dp = new Scenario(DpWorld.SCENARIO, Map.of("people", Set.of("pid", "district", "income")),
                OutputMode.DP, 10, Scenario.SmallGroups.SUPPRESS, ContributionBounds.DEFAULT);
        DpQuery all = guard.check(TOTAL, dp).dpQuery().orElseThrow();
        DpQuery rest = guard.check(WITHOUT_TINY, dp).dpQuery().orElseThrow();
        Dataset<Row> allFrame = StreamingUnitBounding.partials(all, world.spark::sql).orElseThrow();
        Dataset<Row> restFrame = StreamingUnitBounding.partials(rest, world.spark::sql).orElseThrow();

        assertDifferenceIsNoise(all, allFrame, rest, restFrame);
    }

    private static void assertDifferenceIsNoise(DpQuery all, Dataset<Row> allFrame, DpQuery rest,
                                                Dataset<Row> restFrame) {
        List<GroupPartials> allGroups = PartialRows.collect(allFrame, all, 10);
        List<GroupPartials> restGroups = PartialRows.collect(restFrame, rest, 10);
        // the partials themselves: the exact totals (one row per person, no clamp bites), the target's the difference
        assertThat(((Number) allGroups.get(0).partials().get(0).get(0)).doubleValue()
                - ((Number) restGroups.get(0).partials().get(0).get(0)).doubleValue())
                .isCloseTo(DpWorld.TARGET_INCOME, within(1e-6));
        QueryBudget budget = QueryBudget.of(1.0, 1e-6, ContributionBounds.DEFAULT);

        double sum = 0;
        double sumOfSquares = 0;
        for (int run = 0; run < RUNS; run++) {
            RandomSource random = RandomSource.seeded(7_000 + run);
            double a = new DpReleaser(all, budget, Noises.over(random), random, 10).release(allFrame.schema(), allGroups)
                    .rows().get(0).getDouble(0);
            double b = new DpReleaser(rest, budget, Noises.over(random), random, 10).release(restFrame.schema(), restGroups)
                    .rows().get(0).getDouble(0);
            double error = (a - b) - DpWorld.TARGET_INCOME;
            sum += error;
            sumOfSquares += error * error;
        }
        double mean = sum / RUNS;
        double variance = sumOfSquares / RUNS - mean * mean;
        // the oracle: one total's noise, computed independently of the release code. The sum's sensitivity is one
        // person's largest income, 1e6, on a grid of step 1, plus one step for rounding the total
        double one = DiscreteLaplace.forEpsilon(BigDecimal.ONE, 1_000_001, RandomSource.seeded(0)).variance();
        double expected = 2 * one;

        assertThat(variance).isCloseTo(expected, within(0.15 * expected));
        assertThat(Math.abs(mean)).isLessThan(4 * Math.sqrt(expected / RUNS));
        assertThat(Math.sqrt(variance)).isGreaterThan(10 * DpWorld.TARGET_INCOME); // the income is lost in the noise
    }

    private static double released(DpWorld world, Decision decision) {
        assertThat(decision.isAllowed()).as("threshold mode allows both totals").isTrue();
        List<Row> rows = world.spark.sql(decision.rewrittenSql().orElseThrow()).collectAsList();
        assertThat(rows).hasSize(1);
        return ((Number) rows.get(0).get(0)).doubleValue();
    }
}
