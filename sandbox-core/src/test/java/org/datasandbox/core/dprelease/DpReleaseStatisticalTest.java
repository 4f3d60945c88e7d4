package org.datasandbox.core.dprelease;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.stream.IntStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.datasandbox.core.policy.NoiseChoice;
import org.datasandbox.dp.noise.IntegerNoise;
import org.datasandbox.dp.noise.Mechanism;
import org.datasandbox.dp.noise.Noise;
import org.datasandbox.dp.noise.RandomSource;
import org.datasandbox.dp.testing.DpTester;
import org.datasandbox.guard.catalog.ContributionBounds;
import org.datasandbox.guard.dp.DpAggregate;
import org.datasandbox.guard.dp.DpQuery;
import org.junit.jupiter.api.Test;

/**
 * The Gaussian release path, whole (split, calibration, noise, rows), on neighbouring datasets through the
 * stochastic tester: one unit more adds one row to each of a query's ten counts of a public group. The tester
 * sees the sum of the released counts in cells of 4, which is post-processing (so a correct release passes at the
 * query's epsilon and delta) and, for Gaussian noise, carries nearly all the privacy loss the ten values have
 * together. A release that gives every value the query's whole rho (composition forgotten: ten times the rho)
 * fails. Each release holds 50 public groups with the same partials: a group's values depend on its own partials
 * only, and a unit is in one group (L0 = 1), so each group is one draw of what the release says about the group
 * the unit is in; 2 x 400 releases give the tester 2 x 20,000 draws. Accuracy: the released values' empirical
 * variance is the calibrated discrete Gaussian's, and their mean the true value.
 */
class DpReleaseStatisticalTest {
    private static final int RUNS = 20_000;
    private static final int VALUES = 10;
    private static final int GROUPS = 50;
    private static final double EPSILON = 1;
    private static final double DELTA = 1e-3;
    private static final ContributionBounds BOUNDS = ContributionBounds.DEFAULT;
    private static final StructType SCHEMA = DataTypes.createStructType(List.of(
            DataTypes.createStructField("district", DataTypes.StringType, true)));
    private static final DpQuery QUERY = new DpQuery("SELECT 1", List.of("district"), IntStream.range(0, VALUES)
            .mapToObj(i -> new DpAggregate("n" + i, DpAggregate.Kind.COUNT, Double.NaN, 0, 1, List.of("n" + i))).toList(),
            "units", BOUNDS, Map.of("district", IntStream.range(0, GROUPS).mapToObj(g -> "d" + g).toList()));
    private static final QueryBudget BUDGET = new QueryBudget(BigDecimal.valueOf(EPSILON), DELTA, BOUNDS,
            QueryBudget.DEFAULT_CONFIDENCE, NoiseChoice.GAUSSIAN);

    /** Draws: the bucketed sum of each group's released counts, each group with {@code rows} rows of as many units. */
    private static LongSupplier draws(Noises noises, RandomSource random, long rows) {
        List<List<Object>> partials = new ArrayList<>();
        for (int i = 0; i < VALUES; i++) {
            partials.add(List.of(rows));
        }
        return draws(noises, random, IntStream.range(0, GROUPS)
                .mapToObj(g -> new GroupPartials(List.of("d" + g), partials, rows)).toList());
    }

    /** Draws: the bucketed sum of each group's released counts, from the given partials. */
    private static LongSupplier draws(Noises noises, RandomSource random, List<GroupPartials> groups) {
        Deque<Long> drawn = new ArrayDeque<>();
        return () -> {
            if (drawn.isEmpty()) {
                for (Row row : new DpReleaser(QUERY, BUDGET, noises, random, GROUPS).release(SCHEMA, groups).rows()) {
                    long sum = 0;
                    for (int i = 0; i < VALUES; i++) {
                        sum += row.getLong(1 + 3 * i); // each value, then its interval
                    }
                    drawn.add(DpTester.bucket(sum, 4, 1_000));
                }
            }
            return drawn.poll();
        };
    }

    @Test
    void gaussianRelease_oneUnitMore_holdsTheQueryEpsilonDelta() {
        RandomSource random = RandomSource.seeded(1801);
        Noises noises = Noises.over(random);
        DpTester.Verdict verdict = DpTester.test(draws(noises, random, 20), draws(noises, random, 21),
                RUNS, EPSILON);

        assertThat(BudgetSplit.of(QUERY, BUDGET).mechanism()).isEqualTo(Mechanism.DISCRETE_GAUSSIAN);
        assertThat(verdict.holds(DELTA)).as("%s", verdict).isTrue();
    }

    /**
     * The tester on partials the streaming pass computed from stored originals (bucketed and sorted by the unit): in
     * the neighbour, each district has one person more with three rows of it, which Linf (1) must bound to one. The
     * pass's count is each of the ten values. A pass that did not bound the rows would move each count by three and
     * fail the tester; the partials are checked against the neighbour relation first.
     */
    @Test
    void gaussianRelease_streamingPartialsOfOneUnitMore_holdTheQueryEpsilonDelta() throws Exception {
        List<GroupPartials> base = streamedCounts(false);
        List<GroupPartials> more = streamedCounts(true);
        assertThat(base).hasSize(GROUPS).allSatisfy(g -> assertThat(g.partials().get(0)).containsExactly(20L));
        assertThat(more).hasSize(GROUPS).allSatisfy(g -> assertThat(g.partials().get(0)).containsExactly(21L));

        RandomSource random = RandomSource.seeded(1804);
        Noises noises = Noises.over(random);
        DpTester.Verdict verdict = DpTester.test(draws(noises, random, base), draws(noises, random, more), RUNS,
                EPSILON);

        assertThat(verdict.holds(DELTA)).as("%s", verdict).isTrue();
    }

    /**
     * The guard's COUNT(*) by district over 50 districts of 20 people each (and, with {@code oneMore}, a 21st
     * person per district with three rows), bounded by the streaming pass, each group's count as all ten values.
     */
    private static List<GroupPartials> streamedCounts(boolean oneMore) throws Exception {
        org.datasandbox.core.TestSandbox.get();
        org.apache.spark.sql.SparkSession spark = org.apache.spark.sql.SparkSession.builder().getOrCreate().newSession();
        List<Row> rows = new ArrayList<>();
        long pid = 1;
        for (int g = 0; g < GROUPS; g++) {
            for (int i = 0; i < 20 + (oneMore ? 1 : 0); i++, pid++) {
                for (int r = 0; r < (i == 20 ? 3 : 1); r++) {
                    rows.add(org.apache.spark.sql.RowFactory.create(pid, "d" + g, 1.0));
                }
            }
        }
        spark.createDataFrame(rows, DataTypes.createStructType(List.of(
                DataTypes.createStructField("pid", DataTypes.LongType, false),
                DataTypes.createStructField("district", DataTypes.StringType, false),
                DataTypes.createStructField("income", DataTypes.DoubleType, false)))).createOrReplaceTempView("people");
        DpWorld.storeByUnit(spark, java.nio.file.Files.createTempDirectory("dp-statistical"), false);
        org.datasandbox.guard.catalog.Scenario scenario = new org.datasandbox.guard.catalog.Scenario("statistical",
                Map.of("people", java.util.Set.of("pid", "district", "income")),
                org.datasandbox.guard.catalog.OutputMode.DP, 10, org.datasandbox.guard.catalog.Scenario.SmallGroups.SUPPRESS,
                BOUNDS);
        DpQuery count = new org.datasandbox.guard.QueryGuard(DpWorld.CATALOG)
                .check("SELECT district, COUNT(*) AS n FROM people GROUP BY district", scenario).dpQuery().orElseThrow();
        org.apache.spark.sql.Dataset<Row> frame = StreamingUnitBounding.partials(count, spark::sql)
                .orElseThrow(() -> new AssertionError("the streaming path was not taken"));
        return PartialRows.collect(frame, count, GROUPS).stream().map(g -> new GroupPartials(g.keys(),
                java.util.Collections.nCopies(VALUES, g.partials().get(0)), g.units())).toList();
    }

    @Test
    void gaussianRelease_everyValueGivenTheWholeRho_failsTheTester() {
        RandomSource random = RandomSource.seeded(1802);
        Noises noises = forgetsComposition(Noises.over(random), VALUES);
        DpTester.Verdict verdict = DpTester.test(draws(noises, random, 20), draws(noises, random, 21),
                RUNS, EPSILON);

        assertThat(verdict.empiricalDelta()).as("%s", verdict).isGreaterThan(0.02);
    }

    @Test
    void gaussianRelease_valueVariance_isTheCalibratedDiscreteGaussiansVariance() {
        RandomSource random = RandomSource.seeded(1803);
        Noises noises = Noises.over(random);
        List<List<Object>> partials = IntStream.range(0, VALUES).mapToObj(i -> (List<Object>) List.<Object>of(20L))
                .toList();
        List<GroupPartials> groups = IntStream.range(0, GROUPS)
                .mapToObj(g -> new GroupPartials(List.of("d" + g), partials, 20)).toList();
        double sum = 0;
        double squares = 0;
        int n = 0;
        for (int r = 0; r < 40; r++) {
            for (Row row : new DpReleaser(QUERY, BUDGET, noises, random, GROUPS).release(SCHEMA, groups).rows()) {
                for (int i = 0; i < VALUES; i++) {
                    double error = row.getLong(1 + 3 * i) - 20;
                    sum += error;
                    squares += error * error;
                    n++;
                }
            }
        }
        BudgetSplit split = BudgetSplit.of(QUERY, BUDGET);
        double expected = Noise.gaussian(random).calibrateZcdp(1, 1, split.valueRho(), split.statedDelta()).variance();
        double mean = sum / n;

        assertThat(mean).isCloseTo(0, org.assertj.core.api.Assertions.within(4 * Math.sqrt(expected / n)));
        assertThat(squares / n - mean * mean).isCloseTo(expected, org.assertj.core.api.Assertions.withinPercentage(5));
    }

    /** A broken calibration: the Gaussian gets {@code parts} times the rho it is given, but states the given one. */
    private static Noises forgetsComposition(Noises real, int parts) {
        return mechanism -> mechanism != Mechanism.DISCRETE_GAUSSIAN ? real.of(mechanism) : new Noise() {
            @Override
            public Mechanism mechanism() {
                return mechanism;
            }

            @Override
            public IntegerNoise calibrate(long l0, long linf, BigDecimal epsilon, double delta) {
                return real.of(mechanism).calibrate(l0, linf, epsilon, delta);
            }

            @Override
            public IntegerNoise calibrateZcdp(long l0, long linf, double rho, double delta) {
                return real.of(mechanism).calibrateZcdp(l0, linf, rho * parts, delta);
            }
        };
    }

}
