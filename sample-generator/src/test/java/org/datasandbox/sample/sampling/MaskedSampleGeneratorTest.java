package org.datasandbox.sample.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.datasandbox.masking.MaskingException;
import org.datasandbox.masking.function.KeyedPseudonym;
import org.datasandbox.masking.function.MaskingFunction;
import org.datasandbox.masking.function.ValueType;
import org.datasandbox.masking.policy.ColumnMasking;
import org.datasandbox.masking.policy.MaskingFunctions;
import org.datasandbox.masking.policy.MaskingPolicy;
import org.datasandbox.masking.policy.MaskingSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MaskedSampleGeneratorTest {
    private static final byte[] KEY = "sample-key-for-tests-0123456789ab".getBytes(StandardCharsets.US_ASCII);
    private static SparkSession spark;
    private static Dataset<Row> people;
    private static Dataset<Row> visits;

    @BeforeAll
    static void start() {
        spark = org.datasandbox.sample.TestSpark.session();
        people = spark.sql("SELECT id, concat('13', lpad(CAST(id AS STRING), 9, '0')) AS phone, "
                + "CAST(20 + id % 60 AS INT) AS age, date_add(DATE '1960-01-01', CAST(id AS INT) * 7) AS birth, "
                + "CAST(id % 3 AS STRING) AS secret FROM range(2000)");
        visits = spark.sql("SELECT id % 2000 AS person, id AS visit FROM range(6000)");
    }

    private static MaskingPolicy policy() {
        return MaskingPolicy.builder("people", 1)
                .column(column("id", ValueType.LONG, MaskingSpec.of("pseudonym")))
                .column(column("phone", ValueType.STRING, MaskingSpec.of("mobile")))
                .column(column("age", ValueType.INTEGER, MaskingSpec.of("band", "width", "10")))
                .column(column("birth", ValueType.DATE, MaskingSpec.of("date_truncate", "unit", "year")))
                .build();
    }

    private static ColumnMasking column(String name, ValueType type, MaskingSpec spec) {
        return new ColumnMasking(name, type, MaskingFunctions.create(spec, KEY, KeyedPseudonym.Algorithm.SM3));
    }

    @Test
    void sample_masksEveryColumnAndDropsUnlistedOnes() {
        List<Row> rows = MaskedSampleGenerator.sample(people, policy(), new SampleSpec("id", 0.1, 1)).collectAsList();
        assertThat(rows.size()).isBetween(120, 280);
        assertThat(rows.get(0).schema().fieldNames()).containsExactly("id", "phone", "age", "birth");
        for (Row row : rows) {
            assertThat(row.getString(1)).matches("13\\d\\*{4}\\d{4}");
            assertThat(row.getInt(2) % 10).isZero();
            assertThat(row.<java.time.LocalDate>getAs("birth").getDayOfYear()).isEqualTo(1);
            assertThat(row.getLong(0)).isGreaterThan(2000); // a pseudonym, not an original id
        }
    }

    /**
     * A pseudonym column is written without a dictionary (it holds one value per person), the others keep
     * Parquet's default: read from the written file's footer, not from the options.
     */
    @Test
    void parquetOptions_pseudonymColumn_isWrittenWithoutDictionary_othersWithIt() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("masked-parquet");
        try {
            MaskedSampleGenerator.sample(people, policy(), new SampleSpec("id", 1.0, 1)).coalesce(1).write()
                    .options(MaskedSampleGenerator.parquetOptions(policy())).parquet(dir.resolve("out").toString());
            java.nio.file.Path file;
            try (var files = java.nio.file.Files.list(dir.resolve("out"))) {
                file = files.filter(f -> f.toString().endsWith(".parquet")).findFirst().orElseThrow();
            }
            java.util.Map<String, Boolean> dictionary = new java.util.HashMap<>();
            try (var reader = org.apache.parquet.hadoop.ParquetFileReader.open(org.apache.parquet.hadoop.util.HadoopInputFile
                    .fromPath(new org.apache.hadoop.fs.Path(file.toUri()), new org.apache.hadoop.conf.Configuration()))) {
                for (var block : reader.getFooter().getBlocks()) {
                    for (var chunk : block.getColumns()) {
                        dictionary.merge(chunk.getPath().toDotString(), chunk.hasDictionaryPage(), Boolean::logicalOr);
                    }
                }
            }
            assertThat(dictionary).containsEntry("id", false).containsEntry("age", true).containsEntry("birth", true);
        } finally {
            try (var paths = java.nio.file.Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Finding "row order survives": the originals are in id order; the sample's ids must not be. */
    @Test
    void sample_rowOrder_doesNotFollowTheOriginals() {
        MaskingPolicy keepIds = MaskingPolicy.builder("people", 1)
                .column(column("id", ValueType.LONG, MaskingSpec.of("keep"))).build();
        List<Long> ids = MaskedSampleGenerator.sample(people, keepIds, new SampleSpec("id", 0.2, 7)).collectAsList()
                .stream().map(r -> r.getLong(0)).toList();
        int ascending = 0;
        for (int i = 1; i < ids.size(); i++) {
            ascending += ids.get(i) > ids.get(i - 1) ? 1 : 0;
        }
        // a random order rises at about half of its steps; the originals' order at every one
        assertThat((double) ascending / (ids.size() - 1)).isBetween(0.35, 0.65);
        List<Long> again = MaskedSampleGenerator.sample(people, keepIds, new SampleSpec("id", 0.2, 8)).collectAsList()
                .stream().map(r -> r.getLong(0)).toList();
        assertThat(again).isNotEqualTo(ids);
    }

    /**
     * Oracle of the keyed order, without knowing how it is made: the same rows laid out in other orders and
     * other partitionings (ascending in one split, descending in three, hashed over five) come out in one and the
     * same order, on the one-task path of a sample and on the exchange path of rows too large for one partition.
     * An order sorted per input split would follow the layout (each split's rows together).
     */
    @Test
    void shuffle_sameRowsInAnyLayout_comeOutInOneOrder_onBothPaths() {
        Dataset<Row> ascending = people.select("id", "age").orderBy("id").coalesce(1);
        Dataset<Row> descendingOne = people.select("id", "age").orderBy(org.apache.spark.sql.functions.col("id").desc()).coalesce(1);
        Dataset<Row> descending = people.select("id", "age").orderBy(org.apache.spark.sql.functions.col("id").desc()).repartition(3);
        Dataset<Row> hashed = people.select("id", "age").repartition(5, org.apache.spark.sql.functions.col("age"));
        for (boolean large : new boolean[] {false, true}) {
            String before = spark.conf().get("spark.sql.files.maxPartitionBytes");
            spark.conf().set("spark.sql.files.maxPartitionBytes", large ? "1" : before);
            try {
                // one small partition: sorted where it is; several, or too large: one exchange by the hash
                assertThat(MaskedSampleGenerator.fitsOnePartition(ascending)).isEqualTo(!large);
                assertThat(MaskedSampleGenerator.fitsOnePartition(descendingOne)).isEqualTo(!large);
                assertThat(MaskedSampleGenerator.fitsOnePartition(descending)).isFalse();
                assertThat(MaskedSampleGenerator.fitsOnePartition(hashed)).isFalse();
                List<Long> order = ids(MaskedSampleGenerator.shuffle(ascending, 11));
                assertThat(ids(MaskedSampleGenerator.shuffle(descendingOne, 11))).as("large %s", large).isEqualTo(order);
                List<Long> exchanged = ids(MaskedSampleGenerator.shuffle(descending, 11));
                assertThat(ids(MaskedSampleGenerator.shuffle(hashed, 11))).as("large %s", large).isEqualTo(exchanged);
                // the layout picks the path, never the order
                assertThat(exchanged).as("large %s", large).isEqualTo(order);
                assertThat(ids(MaskedSampleGenerator.shuffle(ascending, 12))).isNotEqualTo(order);
                int rising = 0;
                for (int i = 1; i < order.size(); i++) {
                    rising += order.get(i) > order.get(i - 1) ? 1 : 0;
                }
                assertThat((double) rising / (order.size() - 1)).isBetween(0.45, 0.55);
            } finally {
                spark.conf().set("spark.sql.files.maxPartitionBytes", before);
            }
        }
    }

    /**
     * Oracle of "the order says nothing of the originals' order", blind to how rows are ordered: the originals lie in
     * registration order in contiguous chunks (as their files do), on one split or on four; in the sample each quarter
     * must hold about a quarter of every chunk (a random order puts 125 ± 10 of each chunk's 500 rows in each quarter)
     * and a row's position must not correlate with its registration position. The oracle is shown to catch an order
     * kept per input split (each split sorted by the same keyed hash on its own, the splits concatenated: chunk q lands
     * in quarter q) and the originals' order itself.
     */
    @Test
    void shuffle_rowsInRegistrationChunks_landInEveryQuarterAlike_onBothPaths() {
        Dataset<Row> registered = people.select("id", "age").orderBy("id");
        Dataset<Row> fourChunks = registered.repartitionByRange(4, org.apache.spark.sql.functions.col("id"));
        List<Dataset<Row>> layouts = List.of(registered.coalesce(1), fourChunks);
        for (boolean large : new boolean[] {false, true}) {
            String before = spark.conf().get("spark.sql.files.maxPartitionBytes");
            spark.conf().set("spark.sql.files.maxPartitionBytes", large ? "1" : before);
            try {
                for (Dataset<Row> layout : layouts) {
                    assertThat(registrationOrderShows(ids(MaskedSampleGenerator.shuffle(layout, 5))))
                            .as("large %s, partitions %d", large, layout.rdd().getNumPartitions()).isFalse();
                }
            } finally {
                spark.conf().set("spark.sql.files.maxPartitionBytes", before);
            }
        }
        Dataset<Row> perSplit = fourChunks.withColumn("h", org.apache.spark.sql.functions.xxhash64(
                org.apache.spark.sql.functions.lit(5L), org.apache.spark.sql.functions.col("id"))).sortWithinPartitions("h").drop("h");
        assertThat(registrationOrderShows(ids(perSplit))).as("negative control: sorted per split").isTrue();
        assertThat(registrationOrderShows(ids(fourChunks))).as("negative control: the originals' order").isTrue();
    }

    /** Whether ids 0..n-1 in {@code order} keep a trace of their order: a quarter far from a quarter of each chunk, or a rank correlation. */
    private static boolean registrationOrderShows(List<Long> order) {
        assertThat(order).hasSize(2000).doesNotHaveDuplicates();
        int[][] cells = new int[4][4];
        double sumSquares = 0;
        for (int position = 0; position < order.size(); position++) {
            long id = order.get(position);
            cells[position * 4 / order.size()][(int) (id * 4 / order.size())]++;
            sumSquares += Math.pow(position - id, 2);
        }
        boolean uneven = java.util.Arrays.stream(cells).flatMapToInt(java.util.Arrays::stream).anyMatch(c -> c < 80 || c > 170);
        double n = order.size();
        double spearman = 1 - 6 * sumSquares / (n * (n * n - 1));
        return uneven || Math.abs(spearman) >= 0.1;
    }

    private static List<Long> ids(Dataset<Row> rows) {
        return rows.collectAsList().stream().map(r -> r.getLong(0)).toList();
    }

    @Test
    void sample_sameSpecOnLinkedTables_keepsTheSamePeople() {
        SampleSpec spec = new SampleSpec("id", 0.2, 42);
        Set<Long> sampledPeople = MaskedSampleGenerator.sample(people.select("id"), MaskingPolicy.builder("p", 1)
                        .column(column("id", ValueType.LONG, MaskingSpec.of("keep"))).build(), spec)
                .collectAsList().stream().map(r -> r.getLong(0)).collect(Collectors.toSet());
        Set<Long> visitPeople = MaskedSampleGenerator.sample(visits, MaskingPolicy.builder("v", 1)
                        .column(column("person", ValueType.LONG, MaskingSpec.of("keep"))).build(), new SampleSpec("person", 0.2, 42))
                .collectAsList().stream().map(r -> r.getLong(0)).collect(Collectors.toSet());
        assertThat(visitPeople).isEqualTo(sampledPeople);
    }

    @Test
    void mask_keepRedactNullifyDateTruncate_runAsSparkColumns_withTheFunctionsResults() {
        Dataset<Row> values = spark.sql("SELECT * FROM VALUES ('a', 1), ('', 2), (NULL, NULL) AS t(text, n)");
        MaskingPolicy policy = MaskingPolicy.builder("t", 1)
                .column(column("text", ValueType.STRING, MaskingSpec.of("redact", "marker", "[x]")))
                .column(column("n", ValueType.INTEGER, MaskingSpec.of("nullify"))).build();
        MaskingPolicy keep = MaskingPolicy.builder("t", 1)
                .column(column("text", ValueType.STRING, MaskingSpec.of("keep"))).build();
        List<Row> masked = MaskedSampleGenerator.mask(values, policy).collectAsList();
        assertThat(masked).extracting(r -> r.get(0)).containsExactly("[x]", "[x]", null);
        assertThat(masked).extracting(r -> r.get(1)).containsOnlyNulls();
        assertThat(MaskedSampleGenerator.mask(values, policy).schema().fields()[1].dataType().typeName()).isEqualTo("integer");
        assertThat(MaskedSampleGenerator.mask(values, keep).collectAsList()).extracting(r -> r.get(0))
                .containsExactly("a", "", null);
        Dataset<Row> dates = spark.sql("SELECT * FROM VALUES (DATE '2024-02-29'), (DATE '1999-12-31'), (NULL) AS t(d)");
        for (String unit : List.of("year", "month")) {
            MaskingFunction truncate = MaskingFunctions.create(MaskingSpec.of("date_truncate", "unit", unit), KEY,
                    KeyedPseudonym.Algorithm.SM3);
            List<Row> truncated = MaskedSampleGenerator.mask(dates, MaskingPolicy.builder("t", 1)
                    .column(new ColumnMasking("d", ValueType.DATE, truncate)).build()).collectAsList();
            List<Row> original = dates.collectAsList();
            for (int i = 0; i < original.size(); i++) {
                assertThat(truncated.get(i).get(0)).as(unit).isEqualTo(truncate.mask(original.get(i).get(0)));
            }
        }
    }

    @Test
    void mask_timestampTruncate_worksInUtc_whateverTheSessionTimeZone() {
        String zone = spark.conf().get("spark.sql.session.timeZone");
        spark.conf().set("spark.sql.session.timeZone", "Asia/Shanghai");
        try {
            Dataset<Row> times = spark.sql("SELECT * FROM VALUES (TIMESTAMP '2024-03-01 07:30:00+08:00'), (NULL) AS t(seen)");
            MaskingFunction truncate = MaskingFunctions.create(MaskingSpec.of("date_truncate", "unit", "day"), KEY,
                    KeyedPseudonym.Algorithm.SM3);
            Dataset<Row> masked = MaskedSampleGenerator.mask(times, MaskingPolicy.builder("t", 1)
                    .column(new ColumnMasking("seen", ValueType.TIMESTAMP, truncate)).build());
            assertThat(masked.schema().fields()[0].dataType().typeName()).isEqualTo("timestamp");
            // 07:30 in Shanghai is 23:30 UTC the day before: the UTC day starts at 08:00 Shanghai time
            assertThat(masked.collectAsList()).extracting(r -> r.get(0))
                    .containsExactly(java.time.Instant.parse("2024-02-29T00:00:00Z"), null);
        } finally {
            spark.conf().set("spark.sql.session.timeZone", zone);
        }
    }

    @Test
    void mask_policyTypeDifferentFromColumn_isRefused() {
        MaskingPolicy wrong = MaskingPolicy.builder("people", 1)
                .column(column("age", ValueType.LONG, MaskingSpec.of("band", "width", "10"))).build();
        assertThatThrownBy(() -> MaskedSampleGenerator.mask(people, wrong))
                .isInstanceOf(MaskingException.class).hasMessageContaining("age is INTEGER but its policy expects LONG");
    }

    @Test
    void select_stratified_keepsTheSameShareOfEveryStratum_andAtLeastOneOfEach() {
        Dataset<Row> strata = spark.sql("SELECT id, CASE WHEN id < 1900 THEN 'big' WHEN id < 1997 THEN 'small' ELSE 'tiny' END AS s "
                + "FROM range(2000)");
        SampleSpec spec = new SampleSpec("id", 0.05, 3, "s");
        java.util.Map<String, Long> kept = MaskedSampleGenerator.select(strata, spec).groupBy("s").count().collectAsList()
                .stream().collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(1)));
        assertThat(kept).containsEntry("big", 95L).containsEntry("small", 5L).containsEntry("tiny", 1L);
        // the same spec keeps the same units; another seed keeps others
        Set<Long> again = MaskedSampleGenerator.select(strata, spec).collectAsList().stream().map(r -> r.getLong(0))
                .collect(Collectors.toSet());
        Set<Long> first = MaskedSampleGenerator.selectedUnits(strata, spec).collectAsList().stream().map(r -> r.getLong(0))
                .collect(Collectors.toSet());
        assertThat(again).isEqualTo(first);
        Set<Long> other = MaskedSampleGenerator.selectedUnits(strata, new SampleSpec("id", 0.05, 4, "s")).collectAsList()
                .stream().map(r -> r.getLong(0)).collect(Collectors.toSet());
        assertThat(other).isNotEqualTo(first).hasSameSizeAs(first);
    }
}
