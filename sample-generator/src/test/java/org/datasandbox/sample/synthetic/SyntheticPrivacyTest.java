package org.datasandbox.sample.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.datasandbox.dp.noise.RandomSource;
import org.datasandbox.masking.function.ValueType;
import org.datasandbox.sample.SampleColumn;
import org.datasandbox.sample.TestSpark;
import org.junit.jupiter.api.Test;

/**
 * The synthetic sample's DP claim, checked on neighbouring tables: what a sample shows must not depend on
 * whether one person is in the table beyond what the spent epsilon allows.
 */
class SyntheticPrivacyTest {
    private static final List<SampleColumn> COLUMNS = List.of(
            SampleColumn.privacyUnit("id", ValueType.LONG),
            SampleColumn.categorical("a", ValueType.STRING, List.of("0", "1")),
            SampleColumn.categorical("b", ValueType.STRING, List.of("0", "1")),
            SampleColumn.categorical("c", ValueType.STRING, List.of("0", "1")));

    /**
     * The copy-filter finding: a tuple the model makes likely, held by nobody in D. Adding one person
     * who holds it must not make it vanish from the samples (a filter that removes rows equal to an
     * original did exactly that, so its absence told that the person exists). Fitted and drawn with the
     * same seeds, the tuple must show up about as often in samples of D and of D + person.
     */
    @Test
    void generate_likelyTupleOfAnAddedPerson_isAsFrequentAsWithoutThem() {
        // D: c = a xor b. Every pair is independent, so a model of pairs draws all eight tuples alike,
        // while D holds only four: nobody holds (0, 0, 1)
        String d = "SELECT id, CAST(id % 2 AS STRING) AS a, CAST(floor(id / 2) % 2 AS STRING) AS b, "
                + "CAST((id % 2 + floor(id / 2) % 2) % 2 AS STRING) AS c FROM range(400)";
        Dataset<Row> without = TestSpark.session().sql(d).cache();
        Dataset<Row> with = TestSpark.session().sql(d + " UNION ALL SELECT 400L, '0', '0', '1'").cache();
        int seeds = 4;
        long[] tuples = new long[2];
        int[] absent = new int[2];
        for (int seed = 1; seed <= seeds; seed++) {
            int t = 0;
            for (Dataset<Row> table : List.of(without, with)) {
                SyntheticModel model = SyntheticSampleGenerator.fit(table, COLUMNS, SyntheticSpec.withEpsilon(BigDecimal.ONE),
                        RandomSource.seeded(seed));
                long count = SyntheticSampleGenerator.generate(TestSpark.session(), model, 400, 1, seed)
                        .where("a = '0' AND b = '0' AND c = '1'").count();
                tuples[t] += count;
                absent[t] += count == 0 ? 1 : 0;
                t++;
            }
        }
        assertThat(tuples[0]).as("the tuple is likely under the model of D").isGreaterThan(seeds * 20L);
        assertThat(absent[1]).as("the person's tuple is not filtered out of D + person's samples").isLessThanOrEqualTo(absent[0] + 1);
        assertThat((double) tuples[1] / tuples[0]).isBetween(0.5, 2.0);
    }
}
