package org.datasandbox.sample.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.datasandbox.dp.noise.RandomSource;
import org.datasandbox.masking.function.ValueType;
import org.datasandbox.masking.id.MobileNumber;
import org.datasandbox.sample.SampleColumn;
import org.datasandbox.sample.TestSpark;
import org.datasandbox.sample.TestTables;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SyntheticSampleGeneratorTest {
    private static final List<SampleColumn> PEOPLE = TestTables.PEOPLE;
    private static final List<SampleColumn> VISITS = TestTables.VISITS;

    private static SparkSession spark;
    private static Dataset<Row> people;
    private static Dataset<Row> visits;
    private static SyntheticModel peopleModel;

    @BeforeAll
    static void start() {
        spark = TestSpark.session();
        people = TestTables.people();
        visits = TestTables.visits();
        peopleModel = SyntheticSampleGenerator.fit(people, PEOPLE, SyntheticSpec.withEpsilon(new BigDecimal("8")),
                RandomSource.seeded(1));
    }

    @Test
    void generate_keepsMarginalsAndTheStrongDependency_andNothingRare() {
        Dataset<Row> sample = SyntheticSampleGenerator.generate(spark, peopleModel, 4000, 1, 7).cache();
        List<Row> rows = sample.collectAsList();
        assertThat(rows.size()).isBetween(4000, 4400);
        assertThat(rows.stream().map(r -> r.getLong(0)).collect(Collectors.toSet())).hasSize(4000).allMatch(id -> id >= 1 && id <= 4000);
        assertThat(rows).allSatisfy(r -> assertThat(MobileNumber.isValid(r.getString(1))).isTrue());
        double female = rows.stream().filter(r -> "F".equals(r.getString(2))).count() / (double) rows.size();
        assertThat(female).isBetween(0.44, 0.56);
        Set<String> cities = rows.stream().map(r -> r.getString(5)).collect(Collectors.toSet());
        assertThat(cities).doesNotContain("Atlantis").contains("Wuhan", "Yichang", "Xiangyang");
        double meanAge = rows.stream().filter(r -> !r.isNullAt(3)).mapToInt(r -> r.getInt(3)).average().orElseThrow();
        assertThat(meanAge).isBetween(42.5, 52.5);
        assertThat(rows).allSatisfy(r -> assertThat(r.isNullAt(3) || r.getInt(3) >= 0 && r.getInt(3) <= 120).isTrue());
        double nullBirths = rows.stream().filter(r -> r.isNullAt(6)).count() / (double) rows.size();
        assertThat(nullBirths).isBetween(0.05, 0.15);
        assertThat(rows.stream().filter(r -> !r.isNullAt(6)).map(r -> r.<LocalDate>getAs("birth")))
                .allMatch(d -> d.getYear() >= 1900 && d.getYear() <= 2099);
        double correlation = sample.stat().corr("age", "income");
        assertThat(correlation).as("age and income are almost linear in the originals").isGreaterThan(0.6);
        assertThat(peopleModel.epsilon()).isLessThanOrEqualTo(new BigDecimal("8"));
        assertThat(peopleModel.dependencies()).hasSize(5);
    }

    @Test
    void generate_linkedTable_pointsOnlyAtUnitsOfTheParentSample() {
        SyntheticModel visitModel = SyntheticSampleGenerator.fit(visits, VISITS, SyntheticSpec.withEpsilon(new BigDecimal("4")),
                RandomSource.seeded(2));
        double withRows = Math.min(1, visitModel.units() / peopleModel.units());
        assertThat(withRows).isBetween(0.4, 0.6);
        List<Row> rows = SyntheticSampleGenerator.generate(spark, visitModel, 2000, withRows, 9).collectAsList();
        Set<Long> persons = rows.stream().map(r -> r.getLong(0)).collect(Collectors.toSet());
        assertThat(persons).allMatch(p -> p >= 1 && p <= 2000);
        double perPerson = rows.size() / (double) persons.size();
        assertThat(perPerson).isBetween(2.2, 2.8);
        assertThat(rows.stream().map(r -> r.getString(1)).collect(Collectors.toSet())).containsExactlyInAnyOrder("0", "1", "2", "3");
    }

    @Test
    void generate_sameModelAndSeed_sameRows() {
        List<Row> a = SyntheticSampleGenerator.generate(spark, peopleModel, 300, 1, 11).orderBy("id").collectAsList();
        List<Row> b = SyntheticSampleGenerator.generate(spark, peopleModel, 300, 1, 11).orderBy("id").collectAsList();
        assertThat(a).isEqualTo(b);
    }

    /** Every step is accounted: the cost is the sum of its steps, and the tree selection spends exactly its share. */
    @Test
    void fit_cost_isTheSumOfItsSteps_andEachKindSpendsItsShare() {
        PrivacyCost cost = peopleModel.cost();
        int modelled = 5; // gender, age, income, city, birth
        assertThat(cost.steps()).hasSize(1 + modelled + 2 * (modelled - 1));
        assertThat(cost.epsilon()).isLessThanOrEqualTo(new BigDecimal("8")).isGreaterThan(new BigDecimal("7.999"));
        BigDecimal selection = cost.epsilonOf("tree selection");
        assertThat(selection).isLessThanOrEqualTo(new BigDecimal("0.8")).isGreaterThan(new BigDecimal("0.79999"));
        assertThat(cost.epsilonOf("1-way marginal").add(cost.epsilonOf("rows per person")))
                .isLessThanOrEqualTo(new BigDecimal("4")).isGreaterThan(new BigDecimal("3.9999"));
        // gender and city have no public domain: partition selection, half the delta each
        assertThat(cost.delta()).isCloseTo(1e-6, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(cost.steps().stream().filter(s -> s.delta() > 0).map(PrivacyCost.Step::name))
                .containsExactlyInAnyOrder("1-way marginal of gender with partition selection",
                        "1-way marginal of city with partition selection");
    }

    @Test
    void fit_categoriesWithAPublicDomain_skipPartitionSelection_andKeepRareValues() {
        List<SampleColumn> columns = List.of(SampleColumn.privacyUnit("id", ValueType.LONG),
                SampleColumn.categorical("city", ValueType.STRING, List.of("Atlantis", "Wuhan", "Yichang", "Xiangyang")));
        SyntheticModel model = SyntheticSampleGenerator.fit(people, columns, SyntheticSpec.withEpsilon(new BigDecimal("8")),
                RandomSource.seeded(6));
        assertThat(model.cost().delta()).isZero();
        assertThat(model.notes()).doesNotContainKey("city");
        assertThat(SyntheticSampleGenerator.generate(spark, model, 3000, 1, 4).select("city").distinct().count())
                .isBetween(3L, 4L); // Atlantis (three people) may be drawn: its value is public, its count noisy
    }

    @Test
    void fit_smallEpsilon_spendsNoMoreThanItAndStillDraws() {
        SyntheticModel model = SyntheticSampleGenerator.fit(people, PEOPLE, SyntheticSpec.withEpsilon(new BigDecimal("0.1")),
                RandomSource.seeded(3));
        assertThat(model.epsilon()).isLessThanOrEqualTo(new BigDecimal("0.1")).isGreaterThan(new BigDecimal("0.09"));
        assertThat(SyntheticSampleGenerator.generate(spark, model, 100, 1, 1).count()).isGreaterThanOrEqualTo(100);
    }

    @Test
    void fit_badColumns_areRefused() {
        assertThatThrownBy(() -> SyntheticSampleGenerator.fit(people, List.of(SampleColumn.categorical("gender", ValueType.STRING)),
                SyntheticSpec.withEpsilon(BigDecimal.ONE), RandomSource.seeded(4))).hasMessageContaining("exactly one privacy-unit");
        assertThatThrownBy(() -> SyntheticSampleGenerator.fit(people, List.of(SampleColumn.privacyUnit("id", ValueType.LONG),
                SampleColumn.categorical("age", ValueType.STRING)),
                SyntheticSpec.withEpsilon(BigDecimal.ONE), RandomSource.seeded(4))).hasMessageContaining("age is not of type STRING");
    }
}
