package org.datasandbox.core.dprelease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.datasandbox.core.ErrorCode;
import org.datasandbox.core.SandboxException;
import org.datasandbox.core.release.ArrowResults;
import org.datasandbox.dp.accounting.BudgetKey;
import org.datasandbox.dp.accounting.BudgetStatus;
import org.datasandbox.dp.aggregation.PartitionSelection;
import org.datasandbox.dp.noise.DiscreteLaplace;
import org.datasandbox.dp.noise.RandomSource;
import org.datasandbox.dp.testing.ZeroNoise;
import org.junit.jupiter.api.Test;

/** Budget before release, never exceeded; the cache that makes repeating a query free; the group bound. */
class DpReleasesTest {

    private static DpReleases releases(DpWorld world, int maxGroups) throws Exception {
        RandomSource random = RandomSource.seeded(42);
        return world.releases(Noises.over(random), random, maxGroups);
    }

    private static BudgetStatus status(DpWorld world) {
        return world.budgets.status(new BudgetKey(DpWorld.SCENARIO, "people")).orElseThrow();
    }

    @Test
    void release_sameQueryTwice_returnsTheCachedAnswerAndSpendsOnce() throws Exception {
        DpWorld world = DpWorld.withLifetimeEpsilon(10);
        DpReleases releases = releases(world, 100);
        DpReleases.Answer first = releases.release(DpWorld.SCENARIO, "job-1", DpWorld.sumByDistrict(""), List.of("people"),
                world.spark::sql);
        DpReleases.Answer second = releases.release(DpWorld.SCENARIO, "job-2", DpWorld.sumByDistrict(""), List.of("people"),
                world.spark::sql);

        assertThat(first.spent()).isTrue();
        assertThat(second.spent()).isFalse();
        assertThat(second.arrowIpc()).isEqualTo(first.arrowIpc());
        assertThat(second.answerDigest()).isEqualTo(first.answerDigest());
        assertThat(world.store.receipts(new BudgetKey(DpWorld.SCENARIO, "people"))).hasSize(1);
        assertThat(status(world).spent().total().epsilon()).isEqualTo(1.0);
        assertThat(second.ledgerDetails()).containsEntry("epsilonSpent", "0.00000").containsEntry("cached", "true");
    }

    @Test
    void release_sameQueryWithFreshSalts_isStillTheCachedAnswer() throws Exception {
        // the guard draws new secret salts for every check, so the SQL differs between two asks of one question;
        // the cache must key on the question (the normalized query), or repeating it would average the noise away
        DpWorld world = DpWorld.withLifetimeEpsilon(10);
        DpReleases releases = releases(world, 100);
        org.datasandbox.guard.dp.DpQuery asked = DpWorld.sumByDistrict("");
        org.datasandbox.guard.dp.DpQuery first = asked.withNormalizedQuery("the question");
        org.datasandbox.guard.dp.DpQuery again = new org.datasandbox.guard.dp.DpQuery(asked.sparkSql() + " ",
                asked.groupKeys(), asked.aggregates(), asked.unitCountColumn(), asked.bounds(), asked.publicDomains(),
                "the question");

        DpReleases.Answer one = releases.release(DpWorld.SCENARIO, "job-1", first, List.of("people"), world.spark::sql);
        DpReleases.Answer two = releases.release(DpWorld.SCENARIO, "job-2", again, List.of("people"), world.spark::sql);

        assertThat(two.spent()).isFalse();
        assertThat(two.arrowIpc()).isEqualTo(one.arrowIpc());
        assertThat(world.store.receipts(new BudgetKey(DpWorld.SCENARIO, "people"))).hasSize(1);
    }

    @Test
    void release_freshAnswer_isArrowWithIntervalsAndItsDescription() throws Exception {
        DpWorld world = DpWorld.withLifetimeEpsilon(10);
        DpReleases.Answer answer = releases(world, 100).release(DpWorld.SCENARIO, "job-1", DpWorld.sumByDistrict(""),
                List.of("people"), world.spark::sql);
        ArrowResults.Table table = ArrowResults.decode(answer.arrowIpc());

        assertThat(table.columns()).containsExactly("district", "n", "n_ci_low", "n_ci_high", "s", "s_ci_low", "s_ci_high");
        assertThat(table.rows()).hasSize((int) answer.rows());
        // 30 people per district clear the threshold only with noise in their favour: the lone "tiny" never does
        assertThat(table.rows()).extracting(r -> r.get(0)).doesNotContain("tiny");
        assertThat(ArrowResults.metadata(answer.arrowIpc())).containsKey(DpRelease.METADATA_KEY);
        assertThat(answer.ledgerDetails()).containsEntry("epsilon", "1.00000").containsEntry("delta", "1.00000e-06");
    }

    @Test
    void release_budgetSpent_isRefusedBeforeTheSqlRuns() throws Exception {
        DpWorld world = DpWorld.withLifetimeEpsilon(3);
        DpReleases releases = releases(world, 100);
        AtomicInteger runs = new AtomicInteger();
        Function<String, Dataset<Row>> sql = text -> {
            runs.incrementAndGet();
            return world.spark.sql(text);
        };
        for (int i = 0; i < 3; i++) {
            releases.release(DpWorld.SCENARIO, "job-" + i, DpWorld.total("WHERE income > " + i), List.of("people"), sql);
        }
        assertThatThrownBy(() -> releases.release(DpWorld.SCENARIO, "job-3", DpWorld.total("WHERE income > 3"),
                List.of("people"), sql))
                .isInstanceOf(SandboxException.class)
                .satisfies(e -> assertThat(((SandboxException) e).code()).isEqualTo(ErrorCode.BUDGET_EXHAUSTED));
        assertThat(runs).hasValue(3);
        assertThat(status(world).spent().fits(status(world).lifetime())).isTrue();
    }

    @Test
    void release_concurrentDistinctQueries_neverSpendBeyondTheBudget() throws Exception {
        DpWorld world = DpWorld.withLifetimeEpsilon(3);
        DpReleases releases = releases(world, 100);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> outcomes = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int n = i;
                Callable<Boolean> job = () -> {
                    try {
                        releases.release(DpWorld.SCENARIO, "job-" + n, DpWorld.total("WHERE income > " + n),
                                List.of("people"), world.spark::sql);
                        return true;
                    } catch (SandboxException e) {
                        assertThat(e.code()).isEqualTo(ErrorCode.BUDGET_EXHAUSTED);
                        return false;
                    }
                };
                outcomes.add(pool.submit(job));
            }
            int released = 0;
            for (Future<Boolean> outcome : outcomes) {
                released += outcome.get() ? 1 : 0;
            }
            assertThat(released).isEqualTo(3);
        } finally {
            pool.shutdownNow();
        }
        assertThat(world.store.receipts(new BudgetKey(DpWorld.SCENARIO, "people"))).hasSize(3);
        assertThat(status(world).spent().fits(status(world).lifetime())).isTrue();
    }

    @Test
    void release_concurrentIdenticalQueries_spendOnceAndAllGetTheSameAnswer() throws Exception {
        DpWorld world = DpWorld.withLifetimeEpsilon(10);
        DpReleases releases = releases(world, 100);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<DpReleases.Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int n = i;
                answers.add(pool.submit(() -> releases.release(DpWorld.SCENARIO, "job-" + n, DpWorld.total(""),
                        List.of("people"), world.spark::sql)));
            }
            byte[] first = answers.get(0).get().arrowIpc();
            int spent = 0;
            for (Future<DpReleases.Answer> answer : answers) {
                assertThat(answer.get().arrowIpc()).isEqualTo(first);
                spent += answer.get().spent() ? 1 : 0;
            }
            assertThat(spent).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(world.store.receipts(new BudgetKey(DpWorld.SCENARIO, "people"))).hasSize(1);
    }

    /** A count per district: one value and the selection, epsilon 0.5 each. */
    private static org.datasandbox.guard.dp.DpQuery countByDistrict(Map<String, List<String>> publicDomains) {
        return new org.datasandbox.guard.dp.DpQuery("SELECT district, COUNT(*) AS n, COUNT(DISTINCT pid) AS units "
                + "FROM people GROUP BY district", List.of("district"), List.of(new org.datasandbox.guard.dp.DpAggregate(
                "n", org.datasandbox.guard.dp.DpAggregate.Kind.COUNT, Double.NaN, 0, 1, List.of("n"))), "units",
                org.datasandbox.guard.catalog.ContributionBounds.DEFAULT, publicDomains);
    }

    private static DpReleases zeroNoise(DpWorld world, int maxGroups) throws Exception {
        // zero noise: a group passes selection exactly when its 30 units reach the threshold
        long threshold = PartitionSelection.laplaceThreshold(
                DiscreteLaplace.forEpsilon(new BigDecimal("0.5"), 1, RandomSource.seeded(0)).scale(), 1, 1e-6);
        assertThat(threshold).isBetween(2L, 30L);
        return world.releases(ZeroNoise::of, RandomSource.seeded(1), maxGroups);
    }

    @Test
    void release_moreGroupsSelectedThanAllowed_isTooLargeAfterTheChargeAndTheSameAgainForFree() throws Exception {
        DpWorld world = DpWorld.withLifetimeEpsilon(10);
        DpReleases releases = zeroNoise(world, 1);
        BudgetKey people = new BudgetKey(DpWorld.SCENARIO, "people");

        assertThatThrownBy(() -> releases.release(DpWorld.SCENARIO, "job-1", countByDistrict(Map.of()),
                List.of("people"), world.spark::sql))
                .isInstanceOf(SandboxException.class)
                .satisfies(e -> assertThat(((SandboxException) e).code()).isEqualTo(ErrorCode.TOO_LARGE))
                .hasMessageContaining("spent and is not refunded")
                .hasMessageNotContaining("tiny").hasMessageNotContaining("north");
        assertThat(world.store.receipts(people)).hasSize(1);
        assertThatThrownBy(() -> releases.release(DpWorld.SCENARIO, "job-2", countByDistrict(Map.of()),
                List.of("people"), world.spark::sql))
                .satisfies(e -> assertThat(((SandboxException) e).code()).isEqualTo(ErrorCode.TOO_LARGE))
                .hasMessageContaining("spent nothing");
        assertThat(world.store.receipts(people)).hasSize(1);
    }

    @Test
    void release_moreGroupsInTheDataThanAllowedButFewerSelected_isReleased() throws Exception {
        DpWorld world = DpWorld.withLifetimeEpsilon(10);
        DpReleases.Answer answer = zeroNoise(world, 2).release(DpWorld.SCENARIO, "job-1", countByDistrict(Map.of()),
                List.of("people"), world.spark::sql);

        // three districts in the data, two pass selection: the limit is on what is released
        assertThat(ArrowResults.decode(answer.arrowIpc()).rows()).extracting(r -> r.get(0))
                .containsExactly("north", "south");
    }

    @Test
    void release_morePublicGroupsThanAllowed_isTooLargeBeforeAnythingIsSpent() throws Exception {
        DpWorld world = DpWorld.withLifetimeEpsilon(10);
        assertThatThrownBy(() -> zeroNoise(world, 2).release(DpWorld.SCENARIO, "job-1",
                countByDistrict(Map.of("district", List.of("north", "south", "tiny"))), List.of("people"),
                world.spark::sql))
                .satisfies(e -> assertThat(((SandboxException) e).code()).isEqualTo(ErrorCode.TOO_LARGE))
                .hasMessageContaining("Nothing was spent");
        assertThat(world.store.receipts(new BudgetKey(DpWorld.SCENARIO, "people"))).isEmpty();
    }

    @Test
    void devRun_onSamples_hasTheReleaseShapeAndSpendsNothing() throws Exception {
        DpWorld world = DpWorld.withLifetimeEpsilon(10);
        org.datasandbox.guard.dp.DpQuery query = DpWorld.total("");
        byte[] ipc = releases(world, 100).devRun(DpWorld.SCENARIO, query, world.spark.sql(query.sparkSql()));

        assertThat(ArrowResults.decode(ipc).columns()).containsExactly("total", "total_ci_low", "total_ci_high");
        assertThat(world.store.receipts(new BudgetKey(DpWorld.SCENARIO, "people"))).isEmpty();
    }

    @Test
    void release_meanAndMedianThroughSpark_zeroNoiseGivesTheTrueFigures() throws Exception {
        DpWorld world = DpWorld.withLifetimeEpsilon(10);
        // one row per person, so the rewrite's bounding is the clamp; the median's partial is the array of values
        String sql = "SELECT SUM(LEAST(GREATEST(income, 0), 100000)) AS ms, COUNT(*) AS mc, "
                + "collect_list(LEAST(GREATEST(income, 0), 100000)) AS vals, COUNT(DISTINCT pid) AS units "
                + "FROM people WHERE district = 'north'";
        org.datasandbox.guard.dp.DpQuery query = new org.datasandbox.guard.dp.DpQuery(sql, List.of(), List.of(
                new org.datasandbox.guard.dp.DpAggregate("m", org.datasandbox.guard.dp.DpAggregate.Kind.MEAN, Double.NaN,
                        0, 100_000, List.of("ms", "mc")),
                new org.datasandbox.guard.dp.DpAggregate("med", org.datasandbox.guard.dp.DpAggregate.Kind.QUANTILE, 0.5,
                        0, 100_000, List.of("vals"))), "units",
                org.datasandbox.guard.catalog.ContributionBounds.DEFAULT, java.util.Map.of());
        DpReleases.Answer answer = world.releases(ZeroNoise::of, RandomSource.seeded(1), 100)
                .release(DpWorld.SCENARIO, "job-1", query, List.of("people"), world.spark::sql);
        List<Object> row = ArrowResults.decode(answer.arrowIpc()).rows().get(0);

        // north: 30 incomes 20,000 + 1,000 i: mean 34,500, median between 34,000 and 35,000
        assertThat((Double) row.get(0)).isCloseTo(34_500, org.assertj.core.api.Assertions.within(1.0));
        assertThat((Double) row.get(3)).isBetween(33_000.0, 36_000.0);
    }

    /** The guard's plan of {@code sql} in the world's DP scenario (its bounds: one group, one row per person). */
    private static org.datasandbox.guard.dp.DpQuery planned(String sql) {
        org.datasandbox.guard.catalog.Scenario scenario = new org.datasandbox.guard.catalog.Scenario(DpWorld.SCENARIO,
                Map.of("people", java.util.Set.of("pid", "district", "income")),
                org.datasandbox.guard.catalog.OutputMode.DP, 10, org.datasandbox.guard.catalog.Scenario.SmallGroups.SUPPRESS,
                org.datasandbox.guard.catalog.ContributionBounds.DEFAULT);
        org.datasandbox.guard.dp.DpQuery query = new org.datasandbox.guard.QueryGuard(DpWorld.CATALOG).check(sql, scenario)
                .dpQuery().orElseThrow();
        assertThat(query.unitRows()).as("the streaming path applies").isPresent();
        return query;
    }

    @Test
    void release_streamingPathSameQueryTwice_returnsTheCachedAnswerAndSpendsOnce() throws Exception {
        DpWorld world = DpWorld.withLifetimeEpsilon(10).storedByUnit(false);
        DpReleases releases = releases(world, 100);
        String sql = "SELECT district, COUNT(*) AS n, SUM(income) AS s FROM people GROUP BY district";
        DpReleases.Answer first = releases.release(DpWorld.SCENARIO, "job-1", planned(sql), List.of("people"),
                world.spark::sql);
        DpReleases.Answer second = releases.release(DpWorld.SCENARIO, "job-2", planned(sql), List.of("people"),
                world.spark::sql);

        assertThat(first.ledgerDetails()).containsEntry("bounding", DpReleases.STREAMING);
        assertThat(first.spent()).isTrue();
        assertThat(second.spent()).isFalse();
        assertThat(second.arrowIpc()).isEqualTo(first.arrowIpc());
        assertThat(world.store.receipts(new BudgetKey(DpWorld.SCENARIO, "people"))).hasSize(1);
        assertThat(status(world).spent().total().epsilon()).isEqualTo(1.0);
        ArrowResults.Table table = ArrowResults.decode(first.arrowIpc());
        assertThat(table.columns()).containsExactly("district", "n", "n_ci_low", "n_ci_high", "s", "s_ci_low", "s_ci_high");
        assertThat(table.rows()).extracting(r -> r.get(0)).doesNotContain("tiny");
    }

    @Test
    void release_streamingPathBudgetSpent_isRefusedBeforeTheSqlRuns() throws Exception {
        DpWorld world = DpWorld.withLifetimeEpsilon(3).storedByUnit(false);
        DpReleases releases = releases(world, 100);
        AtomicInteger runs = new AtomicInteger();
        Function<String, Dataset<Row>> sql = text -> {
            runs.incrementAndGet();
            return world.spark.sql(text);
        };
        for (int i = 0; i < 3; i++) {
            DpReleases.Answer answer = releases.release(DpWorld.SCENARIO, "job-" + i,
                    planned("SELECT SUM(income) AS s FROM people WHERE income > " + i), List.of("people"), sql);
            assertThat(answer.ledgerDetails()).containsEntry("bounding", DpReleases.STREAMING);
        }
        int ran = runs.get();
        assertThatThrownBy(() -> releases.release(DpWorld.SCENARIO, "job-3",
                planned("SELECT SUM(income) AS s FROM people WHERE income > 3"), List.of("people"), sql))
                .isInstanceOf(SandboxException.class)
                .satisfies(e -> assertThat(((SandboxException) e).code()).isEqualTo(ErrorCode.BUDGET_EXHAUSTED));
        assertThat(runs).hasValue(ran);
        assertThat(status(world).spent().fits(status(world).lifetime())).isTrue();
    }

    @Test
    void release_streamingPathMoreGroupsSelectedThanAllowed_isTooLargeAfterTheCharge() throws Exception {
        DpWorld world = DpWorld.withLifetimeEpsilon(10).storedByUnit(false);
        DpReleases releases = zeroNoise(world, 1);
        org.datasandbox.guard.dp.DpQuery query = planned("SELECT district, COUNT(*) AS n FROM people GROUP BY district");
        assertThat(StreamingUnitBounding.partials(query, world.spark::sql)).as("the streaming path is taken").isPresent();

        assertThatThrownBy(() -> releases.release(DpWorld.SCENARIO, "job-1", query, List.of("people"), world.spark::sql))
                .satisfies(e -> assertThat(((SandboxException) e).code()).isEqualTo(ErrorCode.TOO_LARGE))
                .hasMessageContaining("spent and is not refunded")
                .hasMessageNotContaining("tiny").hasMessageNotContaining("north");
        assertThat(world.store.receipts(new BudgetKey(DpWorld.SCENARIO, "people"))).hasSize(1);
    }

    @Test
    void release_unknownScenario_isNotFound() throws Exception {
        DpWorld world = DpWorld.withLifetimeEpsilon(10);
        assertThatThrownBy(() -> releases(world, 100).release("other", "job-1", DpWorld.total(""), List.of("people"),
                world.spark::sql))
                .isInstanceOf(SandboxException.class)
                .satisfies(e -> assertThat(((SandboxException) e).code()).isEqualTo(ErrorCode.NOT_FOUND));
    }
}
