package org.datasandbox.sample.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.datasandbox.dp.noise.RandomSource;
import org.datasandbox.sample.TestSpark;
import org.datasandbox.sample.TestTables;
import org.datasandbox.sample.synthetic.SyntheticModel;
import org.datasandbox.sample.synthetic.SyntheticSampleGenerator;
import org.datasandbox.sample.synthetic.SyntheticSpec;
import org.junit.jupiter.api.Test;

class SyntheticReportsTest {
    private static final double INCOME = 123_456;

    /**
     * The one-person-table finding: the report's closest-record figures and the sample narrowed the
     * person's income to an interval of 94. Now the report holds no figure computed against the originals,
     * warns that the table is too small, and the sample does not gather around the person's income.
     */
    @Test
    void of_onePersonTable_holdsNoFigureOfTheOriginals_andWarns() throws Exception {
        Dataset<Row> one = TestTables.people().where("id = 7").selectExpr("id", "phone", "gender", "age",
                "CAST(" + INCOME + " AS DOUBLE) AS income", "city", "birth").cache();
        int near = 0;
        int values = 0;
        for (int seed = 1; seed <= 3; seed++) {
            SyntheticModel model = SyntheticSampleGenerator.fit(one, TestTables.PEOPLE, SyntheticSpec.withEpsilon(BigDecimal.ONE),
                    RandomSource.seeded(seed));
            Dataset<Row> sample = SyntheticSampleGenerator.generate(TestSpark.session(), model, 200, 1, seed).cache();
            SyntheticReport report = SyntheticReports.of("people", sample, model, TestTables.PEOPLE, 5);
            String json = new ObjectMapper().writeValueAsString(report);
            assertThat(json).doesNotContain("closestRecord").doesNotContain("exactMatches").doesNotContain("distributionDistance");
            assertThat(report.warnings()).anySatisfy(w -> assertThat(w).startsWith("small table"));
            assertThat(report.columns().get("income").expectedError()).isGreaterThan(0.5);
            assertThat(report.columns().get("phone").source()).isEqualTo("made up");
            for (Row row : sample.select("income").collectAsList()) {
                if (!row.isNullAt(0)) {
                    values++;
                    near += Math.abs(row.getDouble(0) - INCOME) <= 2_000 ? 1 : 0; // one hundredth of the bounds
                }
            }
            sample.unpersist();
        }
        // uniform over the bounds puts 2% of values there; noise alone decides what the sample holds
        assertThat(near).isLessThanOrEqualTo(Math.max(5, values / 5));
    }

    @Test
    void of_grantedColumns_namesNoOther_andRoundsNothingFromTheOriginals() throws Exception {
        SyntheticModel model = SyntheticSampleGenerator.fit(TestTables.people(), TestTables.PEOPLE,
                SyntheticSpec.withEpsilon(new BigDecimal("4")), RandomSource.seeded(8));
        Dataset<Row> sample = SyntheticSampleGenerator.generate(TestSpark.session(), model, 3000, 1, 2).cache();
        var visible = TestTables.PEOPLE.stream().filter(c -> List.of("id", "gender", "age").contains(c.name())).toList();
        SyntheticReport report = SyntheticReports.of("people", sample, model, visible, 5);
        String json = new ObjectMapper().writeValueAsString(report);
        assertThat(report.columns()).containsOnlyKeys("id", "gender", "age");
        assertThat(json).doesNotContain("income").doesNotContain("city").doesNotContain("birth").doesNotContain("phone");
        assertThat(report.dependencies()).allSatisfy(d -> assertThat(d).matches("(gender|age) <- (gender|age)?"));
        assertThat(report.columns().get("age").distanceToModel()).isLessThan(0.05); // the sample follows its model
        assertThat(report.columns().get("gender").expectedError()).isLessThan(0.01);
        assertThat(report.rows()).isEqualTo(sample.count());
        assertThat(new BigDecimal(report.epsilon())).isLessThanOrEqualTo(new BigDecimal("4"));
        assertThat(report.spent().keySet()).containsExactly("rows per person", "1-way marginal", "tree selection", "2-way marginal");
    }
}
