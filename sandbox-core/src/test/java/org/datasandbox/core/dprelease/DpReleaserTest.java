package org.datasandbox.core.dprelease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.datasandbox.dp.aggregation.PartitionSelection;
import org.datasandbox.dp.noise.DiscreteLaplace;
import org.datasandbox.core.policy.NoiseChoice;
import org.datasandbox.dp.noise.Mechanism;
import org.datasandbox.dp.noise.Noise;
import org.datasandbox.dp.noise.RandomSource;
import org.datasandbox.dp.testing.ZeroNoise;
import org.datasandbox.guard.catalog.ContributionBounds;
import org.datasandbox.guard.dp.DpAggregate;
import org.datasandbox.guard.dp.DpQuery;
import org.junit.jupiter.api.Test;

/** The release logic around the noise, with the zero-noise fake: keys, fill-in, selection, values, intervals. */
class DpReleaserTest {
    private static final ContributionBounds BOUNDS = new ContributionBounds(2, 3);
    private static final QueryBudget BUDGET = QueryBudget.of(1.0, 1e-6, BOUNDS);
    private static final StructType SCHEMA = DataTypes.createStructType(List.of(
            DataTypes.createStructField("district", DataTypes.StringType, true)));
    private static final List<DpAggregate> AGGREGATES = List.of(
            new DpAggregate("n", DpAggregate.Kind.COUNT, Double.NaN, 0, 1, List.of("n")),
            new DpAggregate("s", DpAggregate.Kind.SUM, Double.NaN, 0, 100, List.of("s")),
            new DpAggregate("m", DpAggregate.Kind.MEAN, Double.NaN, 0, 100, List.of("ms", "mc")),
            new DpAggregate("med", DpAggregate.Kind.QUANTILE, 0.5, 0, 100, List.of("vals")));

    private static DpQuery query(Map<String, List<String>> publicDomains) {
        return new DpQuery("SELECT 1", List.of("district"), AGGREGATES, "units", BOUNDS, publicDomains);
    }

    private static GroupPartials group(String district, long units) {
        return new GroupPartials(java.util.Arrays.asList((Object) district), List.of(List.of(7L), List.of(250.5),
                List.of(250.0, 5L), List.of(List.of(10.0, 20.0, 30.0, 40.0, 50.0))), units);
    }

    private static DpReleaser releaser(DpQuery query) {
        return new DpReleaser(query, BUDGET, ZeroNoise::of, RandomSource.seeded(1), 100);
    }

    @Test
    void release_dataKeys_releasesExactlyTheGroupsAtTheDiscreteThreshold() {
        // four values and the selection share epsilon 1: 0.2 each; selection has L1 sensitivity L0 = 2
        double scale = DiscreteLaplace.forEpsilon(new BigDecimal("0.2"), 2, RandomSource.seeded(0)).scale();
        long threshold = PartitionSelection.laplaceThreshold(scale, 2, 1e-6);
        DpRelease release = releaser(query(Map.of())).release(SCHEMA, List.of(group("south", threshold),
                group("north", threshold - 1), group("east", threshold + 5), group(null, threshold)));

        assertThat(release.rows()).extracting(r -> r.get(0)).containsExactly(null, "east", "south");
        assertThat(release.charged().epsilon()).isEqualTo(1.0);
        assertThat(release.charged().delta()).isEqualTo(1e-6);
    }

    @Test
    void release_zeroNoise_valuesAreThePartialsWithIntervalsAroundThem() {
        DpRelease release = releaser(query(Map.of())).release(SCHEMA, List.of(group("east", 10_000)));
        Row row = release.rows().get(0);
        assertThat(release.schema().fieldNames()).containsExactly("district", "n", "n_ci_low", "n_ci_high", "s",
                "s_ci_low", "s_ci_high", "m", "m_ci_low", "m_ci_high", "med", "med_ci_low", "med_ci_high");
        assertThat(row.getLong(1)).isEqualTo(7L);
        // a count's interval is the exact noise quantile of L1 = L0 * Linf = 6 at epsilon 0.2
        long half = DiscreteLaplace.forEpsilon(new BigDecimal("0.2"), 6, RandomSource.seeded(0)).halfWidth(0.05);
        assertThat(row.getLong(2)).isEqualTo(7 - half);
        assertThat(row.getLong(3)).isEqualTo(7 + half);
        assertThat(row.getDouble(4)).isEqualTo(250.5);
        assertThat(row.getDouble(5)).isLessThan(250.5);
        assertThat(row.getDouble(6)).isGreaterThan(250.5);
        assertThat(row.getDouble(7)).isCloseTo(50.0, within(1e-9));
        assertThat(row.getDouble(8)).isBetween(0.0, 50.0);
        assertThat(row.getDouble(9)).isBetween(50.0, 100.0);
        assertThat(row.getDouble(10)).isBetween(20.0, 40.0);
        assertThat(row.getDouble(11)).isLessThanOrEqualTo(row.getDouble(10));
        assertThat(row.getDouble(12)).isGreaterThanOrEqualTo(row.getDouble(10));
    }

    @Test
    void release_publicDomain_everyPublicValueInPolicyOrderNoisyZerosAndNothingElse() {
        DpQuery query = query(Map.of("district", List.of("north", "south", "east")));
        DpRelease release = releaser(query).release(SCHEMA, List.of(group("east", 1), group("west", 50)));

        assertThat(release.rows()).extracting(r -> r.get(0)).containsExactly("north", "south", "east");
        assertThat(release.rows().get(0).getLong(1)).isZero();
        assertThat(release.rows().get(0).getDouble(4)).isZero();
        assertThat(release.rows().get(2).getLong(1)).isEqualTo(7L); // a group of one unit: public, so released
        assertThat(release.charged().delta()).isZero();
    }

    @Test
    void release_manyGroups_calibratesEachNoiseOncePerRelease() {
        CountingNoises counting = new CountingNoises();
        List<String> districts = new ArrayList<>();
        List<GroupPartials> groups = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            districts.add("d" + i);
            groups.add(group("d" + i, 1));
        }
        DpReleaser releaser = new DpReleaser(query(Map.of("district", districts)), BUDGET, counting,
                RandomSource.seeded(1), 100);
        int beforeRelease = counting.calls;

        DpRelease release = releaser.release(SCHEMA, groups);

        assertThat(release.rows()).hasSize(40);
        // the check before the charge calibrated the values' noise; the release's 40 groups of 4 values reuse it:
        // every distinct calibration is computed once, from the check to the last group
        assertThat(beforeRelease).isPositive();
        assertThat(counting.calls).isEqualTo(counting.distinct.size());
    }

    /** The zero-noise fake, counting its calibrations and the distinct parameters they were asked for. */
    private static final class CountingNoises implements Noises {
        private int calls;
        private final java.util.Set<List<Object>> distinct = new java.util.HashSet<>();

        @Override
        public Noise of(Mechanism mechanism) {
            Noise zero = ZeroNoise.of(mechanism);
            return new Noise() {
                @Override
                public Mechanism mechanism() {
                    return mechanism;
                }

                @Override
                public org.datasandbox.dp.noise.IntegerNoise calibrate(long l0, long linf, BigDecimal epsilon,
                                                                       double delta) {
                    calls++;
                    distinct.add(List.of(mechanism, "epsilon", l0, linf, epsilon, delta));
                    return zero.calibrate(l0, linf, epsilon, delta);
                }

                @Override
                public org.datasandbox.dp.noise.IntegerNoise calibrateZcdp(long l0, long linf, double rho,
                                                                           double delta) {
                    calls++;
                    distinct.add(List.of(mechanism, "rho", l0, linf, rho, delta));
                    return zero.calibrateZcdp(l0, linf, rho, delta);
                }
            };
        }
    }

    @Test
    void release_publicIntegerKeys_matchTheDataByValue() {
        StructType schema = DataTypes.createStructType(List.of(
                DataTypes.createStructField("district", DataTypes.IntegerType, true)));
        DpQuery query = query(Map.of("district", List.of("1", "2")));
        GroupPartials two = new GroupPartials(List.of(2), group("x", 1).partials(), 1);
        DpRelease release = releaser(query).release(schema, List.of(two));

        assertThat(release.rows()).extracting(r -> r.get(0)).containsExactly(1, 2);
        assertThat(release.rows().get(1).getLong(1)).isEqualTo(7L);
    }

    @Test
    void release_noGroupKeysAndNoRows_releasesOneGroupOfZeros() {
        DpQuery query = new DpQuery("SELECT 1", List.of(), AGGREGATES.subList(0, 2), "units", BOUNDS, Map.of());
        DpRelease release = releaser(query).release(DataTypes.createStructType(new ArrayList<>()), List.of());

        assertThat(release.rows()).hasSize(1);
        assertThat(release.rows().get(0).getLong(0)).isZero();
        assertThat(release.charged().delta()).isZero();
    }

    @Test
    void release_description_statesMechanismEpsilonDeltaAndSelection() throws Exception {
        DpRelease release = releaser(query(Map.of())).release(SCHEMA, List.of());
        JsonNode description = new ObjectMapper().readTree(release.metadata().get(DpRelease.METADATA_KEY));

        assertThat(description.get("epsilon").asDouble()).isEqualTo(1.0);
        assertThat(description.get("delta").asDouble()).isEqualTo(1e-6);
        assertThat(description.get("groups").asText()).isEqualTo("selected");
        assertThat(description.get("selection").get("delta").asDouble()).isPositive().isLessThanOrEqualTo(1e-6);
        assertThat(description.get("values")).hasSize(4);
        assertThat(description.get("values").get(1).get("mechanism").asText()).isEqualTo("DISCRETE_LAPLACE");
        assertThat(description.get("values").get(1).get("epsilon").asDouble()).isEqualTo(0.2);
        assertThat(description.get("values").get(3).get("interval").asText()).isEqualTo("approximate");
    }

    @Test
    void release_gaussian_valuesGetTheDiscreteGaussianOfTheirRhoAndSayHowItComposes() throws Exception {
        QueryBudget gaussian = BUDGET.withNoise(NoiseChoice.GAUSSIAN);
        DpQuery query = query(Map.of("district", List.of("east")));
        DpRelease release = new DpReleaser(query, gaussian, ZeroNoise::of, RandomSource.seeded(1), 100)
                .release(SCHEMA, List.of(group("east", 3)));
        BudgetSplit split = BudgetSplit.of(query, gaussian);
        JsonNode description = new ObjectMapper().readTree(release.metadata().get(DpRelease.METADATA_KEY));
        Row row = release.rows().get(0);

        // a count: L0 = 2 groups of Linf = 3 rows, L2 sensitivity sqrt(2) * 3, at the value's rho
        long half = Noise.gaussian(RandomSource.seeded(0)).calibrateZcdp(2, 3, split.valueRho(), split.statedDelta())
                .halfWidth(0.05);
        assertThat(row.getLong(1)).isEqualTo(7L);
        assertThat(row.getLong(2)).isEqualTo(7 - half);
        assertThat(row.getLong(3)).isEqualTo(7 + half);
        assertThat(description.get("composition").asText()).isEqualTo("zCDP");
        assertThat(description.get("rho").asDouble()).isEqualTo(release.charged().rho());
        assertThat(description.get("values").get(0).get("mechanism").asText()).isEqualTo("DISCRETE_GAUSSIAN");
        assertThat(description.get("values").get(0).get("rho").asDouble()).isEqualTo(split.valueRho());
        assertThat(description.get("values").get(0).get("delta").asDouble()).isEqualTo(1e-6);
        assertThat(description.get("values").get(0).get("confidence").asDouble()).isEqualTo(0.95);
        assertThat(release.charged().epsilon()).isEqualTo(1.0);
        assertThat(release.charged().delta()).isEqualTo(1e-6);
    }

    @Test
    void construct_gaussianOutOfRange_autoTakesTheLaplaceAndAnExplicitGaussianIsRefused() {
        // 30 sums a unit may move in 1,000 groups by 10 rows of up to 1,000: a Gaussian sigma far above 1e9
        ContributionBounds wide = new ContributionBounds(1000, 10);
        DpQuery sums = new DpQuery("SELECT 1", List.of("district"), java.util.stream.IntStream.range(0, 30)
                .mapToObj(i -> new DpAggregate("s" + i, DpAggregate.Kind.SUM, Double.NaN, 0, 1000, List.of("s" + i)))
                .toList(), "units", wide, Map.of("district", List.of("east")));
        QueryBudget auto = new QueryBudget(BigDecimal.ONE, 1e-6, wide, 0.95, NoiseChoice.AUTO);

        assertThat(BudgetSplit.of(sums, auto).mechanism()).isEqualTo(Mechanism.DISCRETE_GAUSSIAN); // for counts
        assertThat(new DpReleaser(sums, auto, ZeroNoise::of, RandomSource.seeded(1), 100).split().mechanism())
                .isEqualTo(Mechanism.DISCRETE_LAPLACE);
        assertThatThrownBy(() -> new DpReleaser(sums, auto.withNoise(NoiseChoice.GAUSSIAN), ZeroNoise::of,
                RandomSource.seeded(1), 100)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be calibrated");
    }

    @Test
    void release_secondCall_isRefused() {
        DpReleaser releaser = releaser(query(Map.of()));
        releaser.release(SCHEMA, List.of());
        assertThatThrownBy(() -> releaser.release(SCHEMA, List.of())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("once");
    }

    @Test
    void split_dataKeysWithoutDelta_isRefused() {
        assertThatThrownBy(() -> BudgetSplit.of(query(Map.of()), QueryBudget.of(1.0, 0, BOUNDS)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("delta");
    }

    @Test
    void split_partsAddUpToAtMostTheQueryEpsilon() {
        DpQuery three = new DpQuery("SELECT 1", List.of("district"), AGGREGATES.subList(0, 2), "units", BOUNDS, Map.of());
        BudgetSplit split = BudgetSplit.of(three, QueryBudget.of(1.0, 1e-6, BOUNDS));

        assertThat(split.valueEpsilon()).isEqualTo(new BigDecimal("0.333333"));
        assertThat(split.valueEpsilon().multiply(BigDecimal.valueOf(2)).add(split.selectionEpsilon()))
                .isLessThanOrEqualTo(BigDecimal.ONE);
    }
}
