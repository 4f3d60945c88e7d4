package org.datasandbox.sample.sampling;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.datasandbox.masking.function.DateTruncate;
import org.datasandbox.masking.function.ValueType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Traced finding "the demo's masked {@code medical_visits} empties the visit date although the visits span two
 * five-year bands": a linked table's date, anonymized with its people's released parent columns fixed (gender and
 * district as the parent's sample shows them, the parent's diagnosis diverse), is removed only when every level that
 * shows it (two values or more over the kept rows) leaves more than the allowed 5% of visit rows in classes below
 * k people or l diagnoses; and it is shown when a level does. On the demo (20,000 residents, a sample of about 900
 * people and 1,700 visits) the five-year level left 7.4% of visits below the rule (the visits of 2025, a third of
 * them, split each parent class of about a dozen people), the year level 12%, and the decade shows one value.
 * Generated here at the two ends: parent classes of 8 people (the date cannot be shown) and of 80 (it must be).
 */
class LinkedDateLevelsTest {
    private static final int K = 5;
    private static final int L = 2;
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = org.datasandbox.sample.TestSpark.session();
    }

    /**
     * 640 people in classes of gender and district of {@code 640 / (2 × districts)} people each (every class with
     * two diagnoses or more, so the parent's own sample keeps k and l), one to four visits each, dated uniformly over
     * 2023 to 2025 (day precision: the mask truncates to the month).
     */
    private static Dataset<Row> visits(int districts, long seed) {
        return spark.sql("SELECT unit, parent_gender, parent_district, parent_diagnosis, "
                + "date_add(DATE '2023-01-01', CAST(rand(" + seed + ") * 1095 AS INT)) AS visit_date FROM ("
                + "SELECT id AS unit, CASE WHEN (id DIV " + districts + ") % 2 = 0 THEN 'F' ELSE 'M' END AS parent_gender, "
                + "concat('district ', CAST(id % " + districts + " AS STRING)) AS parent_district, "
                + "concat('D', CAST(id * 7 % 3 AS STRING)) AS parent_diagnosis, "
                + "CAST(1 + floor(rand(" + (seed + 1) + ") * 4) AS INT) AS visit_count FROM range(640)) "
                + "LATERAL VIEW explode(sequence(1, visit_count)) v AS n").repartition(1).cache();
    }

    private static AnonymitySpec spec() {
        Map<String, Generalization> known = new LinkedHashMap<>();
        known.put("visit_date", Generalization.of(ValueType.DATE, new DateTruncate(DateTruncate.Unit.MONTH), Double.NaN, Double.NaN));
        AnonymitySpec own = new AnonymitySpec("unit", known, List.of(), K, L, AnonymitySpec.DEFAULT_MAX_SUPPRESSED_SHARE);
        return own.withLinked(List.of("parent_gender", "parent_district"), List.of("parent_diagnosis"));
    }

    @Test
    void anonymize_linkedVisitDates_removedExactlyWhenNoLevelShowingThemKeepsTheRule() {
        AnonymitySpec spec = spec();
        Generalization date = spec.known().get("visit_date");
        Map<Integer, String> described = new HashMap<>();
        for (int districts : new int[] {4, 40}) {
            Dataset<Row> visits = visits(districts, districts);
            try {
                long allowed = (long) Math.floor(AnonymitySpec.DEFAULT_MAX_SUPPRESSED_SHARE * visits.count());
                KlAnonymizer.Anonymized result = KlAnonymizer.anonymize(visits, spec);
                described.put(districts, result.generalization().get("visit_date"));
                assertThat(violating(visits, spec, result.levels())).as("%d districts", districts).isLessThanOrEqualTo(allowed);
                boolean removed = result.generalization().get("visit_date").equals("removed");
                long shown = result.rows().agg(countDistinct("visit_date")).first().getLong(0);
                assertThat(removed).as("%d districts: reported removed exactly when the rows show under two dates (%d)",
                        districts, shown).isEqualTo(shown < 2);
                if (!removed) {
                    continue; // the cached rows are released below
                }
                for (int level = 0; level < date.levels(); level++) {
                    Map<String, Integer> levels = new HashMap<>(result.levels());
                    levels.put("visit_date", level);
                    long violating = violating(visits, spec, levels);
                    long values = shownDates(visits, spec, levels);
                    assertThat(violating <= allowed && values >= 2)
                            .as("%d districts: date removed, yet %s shows %d values and leaves %d rows (allowed %d) below k or l",
                                    districts, date.describe(level), values, violating, allowed)
                            .isFalse();
                }
            } finally {
                visits.unpersist();
            }
        }
        // both ends occur, so neither branch above is vacuous
        assertThat(described.get(4)).as("classes of 80 people: some level shows the date").isNotEqualTo("removed");
        assertThat(described.get(40)).as("classes of 8 people: no level can show the date").isEqualTo("removed");
    }

    /** Visit rows in classes below k people or l parent diagnoses at the given levels, counted by Spark. */
    private static long violating(Dataset<Row> rows, AnonymitySpec spec, Map<String, Integer> levels) {
        Row total = classes(rows, spec, levels).where(col("people").lt(K).or(col("diagnoses").lt(L)))
                .agg(sum("rows")).first();
        return total.isNullAt(0) ? 0 : total.getLong(0);
    }

    /** Distinct dates over the rows of classes of at least k people and l diagnoses, counted by Spark. */
    private static long shownDates(Dataset<Row> rows, AnonymitySpec spec, Map<String, Integer> levels) {
        return classes(rows, spec, levels).where(col("people").geq(K).and(col("diagnoses").geq(L)))
                .agg(countDistinct("visit_date")).first().getLong(0);
    }

    /**
     * One row per class of the known values. A person's diagnosis is one value (the parent's), so "no value held by
     * every person of a class" is the same as two diagnoses or more.
     */
    private static Dataset<Row> classes(Dataset<Row> rows, AnonymitySpec spec, Map<String, Integer> levels) {
        Column[] keys = spec.known().keySet().stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
        return KlAnonymizer.generalize(rows, spec, levels).groupBy(keys).agg(countDistinct("unit").as("people"),
                countDistinct("parent_diagnosis").as("diagnoses"), count(lit(1)).as("rows"));
    }
}
