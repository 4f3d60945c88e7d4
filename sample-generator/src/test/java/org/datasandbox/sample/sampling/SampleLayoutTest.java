package org.datasandbox.sample.sampling;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.datasandbox.masking.function.KeyedPseudonym;
import org.datasandbox.masking.function.ValueType;
import org.datasandbox.masking.policy.ColumnMasking;
import org.datasandbox.masking.policy.MaskingFunctions;
import org.datasandbox.masking.policy.MaskingPolicy;
import org.datasandbox.masking.policy.MaskingSpec;
import org.datasandbox.sample.report.MaskedRisk;
import org.datasandbox.sample.report.MaskedRiskReports;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rule "the masked sample is a deterministic function of the originals as a multiset of rows, the policy and
 * the scenario key", checked by an oracle that does not know where a layout could leak in: the same generated rows
 * laid out in several ways (one split in a random order, repartitioned three and seven ways, range-partitioned in
 * descending order, stored as one file and as three, bucketed and sorted by the unit as a stored table; the
 * stratified selection over three of them) go through selection, masking, k/l anonymization, the keyed shuffle and the risk figures; every layout must give the same rows in the same order
 * and the same figures. Two keys must still give two different selections (keyed per scenario).
 */
class SampleLayoutTest {
    private static final byte[] KEY = "layout-key-for-tests-0123456789a".getBytes(StandardCharsets.US_ASCII);
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = org.datasandbox.sample.TestSpark.session();
    }

    /** Generated people, several rows for some, as collected rows: every layout below starts from the same multiset. */
    private static Dataset<Row> generated(long seed) {
        Dataset<Row> rows = spark.sql("SELECT CAST(id % 900 AS BIGINT) AS unit, "
                + "CASE WHEN rand(" + seed + ") < 0.5 THEN 'f' ELSE 'm' END AS sex, "
                + "date_add(DATE '1940-01-01', CAST(rand(" + (seed + 1) + ") * 25000 AS INT)) AS birth, "
                + "CAST(rand(" + (seed + 2) + ") * 300000 AS DOUBLE) AS income, "
                + "CAST(CAST(rand(" + (seed + 4) + ") * 4 AS INT) AS STRING) AS district, "
                + "concat('D', CAST(CAST(rand(" + (seed + 3) + ") * 4 AS INT) AS STRING)) AS diagnosis FROM range(1200)");
        return spark.createDataFrame(rows.collectAsList(), rows.schema());
    }

    private static List<Dataset<Row>> layouts(Dataset<Row> rows, Path dir, String name) {
        List<Dataset<Row>> layouts = new ArrayList<>();
        layouts.add(rows.coalesce(1));
        layouts.add(rows.orderBy(org.apache.spark.sql.functions.rand(5)).coalesce(1));
        layouts.add(rows.repartition(3));
        layouts.add(rows.repartition(7, col("unit")));
        layouts.add(rows.repartitionByRange(4, col("income").desc()));
        // stored as files: one file (a sample small enough for one task) and three
        rows.coalesce(1).write().mode("overwrite").parquet(dir.resolve(name + "_one").toUri().toString());
        layouts.add(spark.read().parquet(dir.resolve(name + "_one").toUri().toString()));
        rows.repartition(3).write().mode("overwrite").parquet(dir.resolve(name + "_three").toUri().toString());
        layouts.add(spark.read().parquet(dir.resolve(name + "_three").toUri().toString()));
        // stored bucketed and sorted by the unit, as OriginalTables stores a table with a privacy unit
        rows.write().option("path", dir.resolve(name).toUri().toString()).bucketBy(4, "unit").sortBy("unit")
                .mode("overwrite").saveAsTable(name);
        layouts.add(spark.table(name));
        return layouts;
    }

    private static MaskingPolicy policy(byte[] key) {
        return MaskingPolicy.builder("people", 1)
                .column(column("unit", ValueType.LONG, MaskingSpec.of("pseudonym"), key))
                .column(column("sex", ValueType.STRING, MaskingSpec.of("keep"), key))
                .column(column("birth", ValueType.DATE, MaskingSpec.of("keep"), key))
                .column(column("income", ValueType.DOUBLE, MaskingSpec.of("keep"), key))
                .column(column("district", ValueType.STRING, MaskingSpec.of("keep"), key))
                .column(column("diagnosis", ValueType.STRING, MaskingSpec.of("keep"), key))
                .build();
    }

    private static ColumnMasking column(String name, ValueType type, MaskingSpec spec, byte[] key) {
        return new ColumnMasking(name, type, MaskingFunctions.create(spec, key, KeyedPseudonym.Algorithm.SM3));
    }

    private static AnonymitySpec spec() {
        Map<String, Generalization> known = new LinkedHashMap<>();
        known.put("sex", Generalization.of(ValueType.STRING, new org.datasandbox.masking.function.Keep(), Double.NaN, Double.NaN));
        known.put("birth", Generalization.of(ValueType.DATE, new org.datasandbox.masking.function.Keep(), Double.NaN, Double.NaN));
        known.put("income", Generalization.of(ValueType.DOUBLE, new org.datasandbox.masking.function.Keep(), 0, 300_000));
        known.put("district", Generalization.of(ValueType.STRING, new org.datasandbox.masking.function.Keep(), Double.NaN, Double.NaN));
        return new AnonymitySpec("unit", known, List.of("diagnosis"), 5, 2, AnonymitySpec.DEFAULT_MAX_SUPPRESSED_SHARE);
    }

    /** The sample's rows in their served order, with the levels, the suppressed count and the risk figures. */
    private record Made(List<String> rows, Map<String, Integer> levels, long suppressed, MaskedRisk risk) {
    }

    private static Made make(Dataset<Row> originals, SampleSpec sampleSpec, byte[] key) {
        MaskingPolicy masking = policy(key);
        Dataset<Row> masked = MaskedSampleGenerator.mask(MaskedSampleGenerator.select(originals, sampleSpec), masking);
        KlAnonymizer.Anonymized anonymized = KlAnonymizer.anonymize(masked, spec());
        Dataset<Row> served = MaskedSampleGenerator.shuffle(anonymized.rows(), sampleSpec.seed());
        List<String> rows = served.collectAsList().stream().map(Row::toString).toList();
        Dataset<Row> population = KlAnonymizer.generalize(MaskedSampleGenerator.mask(originals, masking), spec(), anonymized.levels());
        MaskedRisk risk = MaskedRiskReports.measure(served, population, "unit", List.copyOf(spec().known().keySet()),
                spec().sensitive(), 5, 2, anonymized.generalization(), anonymized.suppressedRows(), 0);
        return new Made(rows, anonymized.levels(), anonymized.suppressedRows(), risk);
    }

    @Test
    void sample_sameRowsInEightLayouts_giveOneSampleInOneOrder_andOneReport() throws Exception {
        Path dir = Files.createTempDirectory("sample-layouts");
        Dataset<Row> rows = generated(31);
        for (SampleSpec sampleSpec : List.of(new SampleSpec("unit", 0.6, 17), new SampleSpec("unit", 0.6, 17, "district"))) {
            List<Dataset<Row>> layouts = layouts(rows, dir, "layout_" + (sampleSpec.stratified() ? "strata" : "plain"));
            Made first = make(layouts.get(0), sampleSpec, KEY);
            assertThat(first.rows()).as("a sample to compare").hasSizeGreaterThan(300);
            assertThat(first.levels().values()).as("the search chose some generalization").anyMatch(level -> level > 0);
            // stratified: the layouts that change most (a random order, by the unit, bucketed), to keep the test short
            List<Integer> compared = sampleSpec.stratified() ? List.of(1, 3, layouts.size() - 1)
                    : java.util.stream.IntStream.range(1, layouts.size()).boxed().toList();
            for (int i : compared) {
                Made other = make(layouts.get(i), sampleSpec, KEY);
                assertThat(other.rows()).as("layout %d (%d partitions), stratified %s", i,
                        layouts.get(i).rdd().getNumPartitions(), sampleSpec.stratified()).isEqualTo(first.rows());
                assertThat(other).as("layout %d", i).isEqualTo(first);
            }
            byte[] otherKey = "layout-key-for-tests-other-key-b".getBytes(StandardCharsets.US_ASCII);
            SampleSpec otherSeed = sampleSpec.stratified() ? new SampleSpec("unit", 0.6, 18, "district") : new SampleSpec("unit", 0.6, 18);
            Made rekeyed = make(layouts.get(0), otherSeed, otherKey);
            assertThat(rekeyed.rows().stream().sorted().toList()).as("another scenario key selects other people")
                    .isNotEqualTo(first.rows().stream().sorted().toList());
        }
    }
}
