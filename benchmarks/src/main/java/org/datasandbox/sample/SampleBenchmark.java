package org.datasandbox.sample;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.demodata.HubeiDemoData;
import org.datasandbox.core.policy.ColumnPolicy;
import org.datasandbox.core.policy.PolicyParser;
import org.datasandbox.core.policy.TablePolicy;
import org.datasandbox.core.sample.SampleColumns;
import org.datasandbox.core.storage.EncryptedParquet;
import org.datasandbox.dp.noise.RandomSource;
import org.datasandbox.masking.function.KeyedPseudonym;
import org.datasandbox.masking.policy.ColumnMasking;
import org.datasandbox.masking.policy.MaskingFunctions;
import org.datasandbox.masking.policy.MaskingPolicy;
import org.datasandbox.sample.sampling.MaskedSampleGenerator;
import org.datasandbox.sample.sampling.SampleSpec;
import org.datasandbox.sample.sampling.SparkValueTypes;
import org.datasandbox.sample.synthetic.SyntheticModel;
import org.datasandbox.sample.synthetic.SyntheticSampleGenerator;
import org.datasandbox.sample.synthetic.SyntheticSpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One million rows of {@code residents} written as Parquet, in the same run and the same local Spark:
 * a masked sample of every row (the reference policy's masks), the same path keeping every column, a
 * synthetic sample drawn from a DP model fitted beforehand, fitting that model, and the baseline, Spark
 * writing the same schema from {@code range()}. Single-shot seconds per million rows; read the ratios.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {
    "-Xmx8g", "-XX:+UseParallelGC",
    "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
    "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class SampleBenchmark {
    static final int ROWS = 1_000_000;
    private static final byte[] KEY = "benchmark-pseudonym-key-32-bytes".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private SparkSession spark;
    private Path work;
    private Dataset<Row> originals;
    private MaskingPolicy masking;
    private MaskingPolicy copying;
    private List<SampleColumn> columns;
    private SyntheticModel model;
    private Path output;

    @Setup(Level.Trial)
    public void prepare(org.openjdk.jmh.infra.BenchmarkParams params) throws Exception {
        spark = SparkSession.builder().master("local[*]").appName("sample-benchmark")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
                .config("spark.sql.datetime.java8API.enabled", "true")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        work = Files.createTempDirectory("sample-benchmark");
        Path csv = work.resolve("residents.csv");
        Files.write(csv, HubeiDemoData.generate(ROWS, 2026).residentsCsv());
        spark.read().option("header", "true").schema("person_id BIGINT, id_card STRING, name STRING, phone STRING, "
                        + "gender STRING, birth_date DATE, district STRING, address STRING, income DOUBLE, diagnosis STRING")
                .csv(csv.toString())
                .repartition(spark.sparkContext().defaultParallelism()) // one file per core, as the sandbox stores originals
                .write().parquet(work.resolve("originals").toString());
        Files.delete(csv);
        originals = spark.read().parquet(work.resolve("originals").toString());
        TablePolicy policy = new PolicyParser(CryptoProfile.of(CryptoProfile.Kind.SM))
                .parse(Files.readString(examples().resolve("policies/residents.yaml"))).table().orElseThrow();
        MaskingPolicy.Builder builder = MaskingPolicy.builder(policy.table(), 1);
        for (var field : originals.schema().fields()) {
            Optional<ColumnPolicy> column = policy.column(field.name());
            column.ifPresent(c -> builder.column(new ColumnMasking(field.name(), SparkValueTypes.of(field.dataType()).orElseThrow(),
                    MaskingFunctions.create(c.mask(), KEY, KeyedPseudonym.Algorithm.SM3))));
        }
        masking = builder.build();
        MaskingPolicy.Builder keepAll = MaskingPolicy.builder(policy.table(), 1);
        for (var field : originals.schema().fields()) {
            keepAll.column(new ColumnMasking(field.name(), SparkValueTypes.of(field.dataType()).orElseThrow(),
                    MaskingFunctions.create(org.datasandbox.masking.policy.MaskingSpec.of("keep"), KEY, KeyedPseudonym.Algorithm.SM3)));
        }
        copying = keepAll.build();
        columns = SampleColumns.of(policy, originals.schema());
        if (params.getBenchmark().toLowerCase(java.util.Locale.ROOT).contains("synthetic")) { // only they draw from a model
            model = SyntheticSampleGenerator.fit(originals, columns, SyntheticSpec.withEpsilon(BigDecimal.ONE), RandomSource.secure());
        }
    }

    @Setup(Level.Invocation)
    public void freshOutput() throws Exception {
        output = Files.createTempDirectory(work, "out").resolve("parquet");
    }

    @TearDown(Level.Invocation)
    public void dropOutput() throws Exception {
        EncryptedParquet.deleteRecursively(output.getParent());
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        spark.stop();
        EncryptedParquet.deleteRecursively(work);
    }

    @Benchmark
    public void baselineRangeWrite() {
        rangeRows(spark).write().parquet(output.toString());
    }

    /** The residents' schema from {@code range()}: what Spark writes without reading or masking anything. */
    static Dataset<Row> rangeRows(SparkSession spark) {
        return spark.range(ROWS).selectExpr("id AS person_id",
                "concat('420102', CAST(19500101 + id % 500000 AS STRING), lpad(CAST(id % 10000 AS STRING), 4, '0')) AS id_card",
                "concat('王', CAST(id % 100 AS STRING)) AS name", "concat('138', lpad(CAST(id AS STRING), 8, '0')) AS phone",
                "IF(id % 2 = 0, '男', '女') AS gender", "date_add(DATE '1950-01-01', CAST(id % 25000 AS INT)) AS birth_date",
                "concat('区', CAST(id % 17 AS STRING)) AS district", "concat('路', CAST(id AS STRING), '号') AS address",
                "CAST(id % 100000 AS DOUBLE) AS income", "concat('病', CAST(id % 12 AS STRING)) AS diagnosis");
    }

    /** The masked path, written with the generator's Parquet options (no dictionary for the pseudonym column). */
    @Benchmark
    public void maskedSample() {
        MaskedSampleGenerator.sample(originals, masking, new SampleSpec("person_id", 1.0, 1)).write()
                .options(MaskedSampleGenerator.parquetOptions(masking)).parquet(output.toString());
    }

    /** The same path as {@link #maskedSample} with every column kept: what the masks themselves cost. */
    @Benchmark
    public void copySample() {
        MaskedSampleGenerator.sample(originals, copying, new SampleSpec("person_id", 1.0, 1)).write().parquet(output.toString());
    }

    @Benchmark
    public void syntheticSample() {
        SyntheticSampleGenerator.generate(spark, model, ROWS, 1, 1).write().parquet(output.toString());
    }

    @Benchmark
    public SyntheticModel syntheticModelFit() {
        return SyntheticSampleGenerator.fit(originals, columns, SyntheticSpec.withEpsilon(BigDecimal.ONE), RandomSource.secure());
    }

    static Path examples() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("examples").resolve("policies"))) {
                return p.resolve("examples");
            }
        }
        throw new IllegalStateException("run from inside the repository: examples/policies not found");
    }
}
