package org.datasandbox.sample.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.datasandbox.masking.function.DateTruncate;
import org.datasandbox.masking.function.Keep;
import org.datasandbox.masking.function.NumberBand;
import org.datasandbox.masking.function.ValueType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KlAnonymizerTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = org.datasandbox.sample.TestSpark.session();
    }

    /** Generated people: unique on their exact incomes, some with two rows, a sensitive code of 4 values. */
    private static Dataset<Row> people(long seed) {
        return spark.sql("SELECT CAST(id % 700 AS BIGINT) AS unit, "
                + "CASE WHEN rand(" + seed + ") < 0.5 THEN 'f' ELSE 'm' END AS sex, "
                + "date_add(DATE '1940-01-01', CAST(rand(" + (seed + 1) + ") * 25000 AS INT)) AS birth, "
                + "CAST(rand(" + (seed + 2) + ") * 300000 AS DOUBLE) AS income, "
                + "concat('D', CAST(CAST(rand(" + (seed + 3) + ") * 4 AS INT) AS STRING)) AS diagnosis FROM range(800)");
    }

    private static AnonymitySpec spec(int k, int l) {
        Map<String, Generalization> known = new LinkedHashMap<>();
        known.put("sex", Generalization.of(ValueType.STRING, new Keep(), Double.NaN, Double.NaN));
        known.put("birth", Generalization.of(ValueType.DATE, new DateTruncate(DateTruncate.Unit.YEAR), Double.NaN, Double.NaN));
        known.put("income", Generalization.of(ValueType.DOUBLE, new NumberBand(10_000), 0, 300_000));
        return new AnonymitySpec("unit", known, List.of("diagnosis"), k, l, AnonymitySpec.DEFAULT_MAX_SUPPRESSED_SHARE);
    }

    /**
     * Oracle: recount the output's classes in Java, from the rows alone: every combination of known values
     * holds at least k units and l diagnoses, for generated tables and several k and l.
     */
    @Test
    void anonymize_generatedTables_everyClassHasKUnitsAndLSensitiveValues() {
        for (int[] kl : new int[][] {{2, 1, 1}, {10, 3, 5}}) {
            {
                long seed = kl[2];
                KlAnonymizer.Anonymized result = KlAnonymizer.anonymize(people(seed), spec(kl[0], kl[1]));
                List<Row> rows = result.rows().collectAsList();
                Map<List<Object>, Set<Object>> units = new HashMap<>();
                Map<List<Object>, Set<Object>> diagnoses = new HashMap<>();
                for (Row row : rows) {
                    List<Object> key = new ArrayList<>(List.of(String.valueOf((Object) row.getAs("sex")),
                            String.valueOf((Object) row.getAs("birth")), String.valueOf((Object) row.getAs("income"))));
                    units.computeIfAbsent(key, x -> new HashSet<>()).add(row.getAs("unit"));
                    diagnoses.computeIfAbsent(key, x -> new HashSet<>()).add(row.getAs("diagnosis"));
                }
                assertThat(units.values()).as("k=%d seed %d", kl[0], seed).allSatisfy(u -> assertThat(u).hasSizeGreaterThanOrEqualTo(kl[0]));
                assertThat(diagnoses.values()).allSatisfy(d -> assertThat(d).hasSizeGreaterThanOrEqualTo(kl[1]));
                // generalization before suppression: at most 5% of rows dropped, the rest served
                assertThat(result.suppressedRows()).isLessThanOrEqualTo(40);
                assertThat(rows.size() + result.suppressedRows()).isEqualTo(800);
            }
        }
    }

    @Test
    void anonymize_uniqueIncomes_generalizesBeforeSuppressing_andSaysHowFar() {
        KlAnonymizer.Anonymized result = KlAnonymizer.anonymize(people(3), spec(5, 2));
        assertThat(result.levels().get("income")).isPositive();
        assertThat(result.generalization().get("income")).matches("multiples of \\d+|removed");
        assertThat(result.generalization().get("birth")).isIn("as masked", "five years", "decade", "removed");
        assertThat(result.rows().count()).isGreaterThanOrEqualTo(760);
    }

    @Test
    void anonymize_tooFewPeopleForK_suppressesEverything() {
        Dataset<Row> few = people(4).where("unit < 3");
        KlAnonymizer.Anonymized result = KlAnonymizer.anonymize(few, spec(5, 2));
        assertThat(result.rows().count()).isZero();
        assertThat(result.levels().values()).allSatisfy(level -> assertThat(level).isPositive());
    }

    @Test
    void ladders_stepThroughNiceWidthsAndUnits_thenRemove() {
        NumberLadder income = (NumberLadder) Generalization.of(ValueType.DOUBLE, new NumberBand(10_000), 0, 1_000_000);
        assertThat(NumberLadder.nextNice(0.1)).isEqualTo(0.2);
        assertThat(NumberLadder.nextNice(5)).isEqualTo(10);
        assertThat(income.widths()).containsExactly(20_000.0, 50_000.0, 100_000.0, 200_000.0, 500_000.0, 1_000_000.0);
        assertThat(income.describe(income.levels())).isEqualTo("removed");
        Generalization birth = Generalization.of(ValueType.DATE, new DateTruncate(DateTruncate.Unit.MONTH), Double.NaN, Double.NaN);
        assertThat(List.of(birth.describe(1), birth.describe(2), birth.describe(3), birth.describe(4)))
                .containsExactly("year", "five years", "decade", "removed");
        assertThat(Generalization.of(ValueType.STRING, new Keep(), Double.NaN, Double.NaN).levels()).isEqualTo(1);
        assertThatThrownBy(() -> new AnonymitySpec("unit", Map.of(), List.of(), 1, 1, 0.05)).hasMessageContaining("k must be");
        assertThatThrownBy(() -> new AnonymitySpec("unit", Map.of(), List.of(), 5, 6, 0.05)).hasMessageContaining("l must be");
    }
}
