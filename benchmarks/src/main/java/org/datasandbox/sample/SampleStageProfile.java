package org.datasandbox.sample;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.xxhash64;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.StageInfo;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.demodata.HubeiDemoData;
import org.datasandbox.core.policy.ColumnPolicy;
import org.datasandbox.core.policy.PolicyParser;
import org.datasandbox.core.policy.TablePolicy;
import org.datasandbox.core.storage.EncryptedParquet;
import org.datasandbox.masking.function.KeyedPseudonym;
import org.datasandbox.masking.policy.ColumnMasking;
import org.datasandbox.masking.policy.MaskingFunctions;
import org.datasandbox.masking.policy.MaskingPolicy;
import org.datasandbox.sample.sampling.MaskedSampleGenerator;
import org.datasandbox.sample.sampling.SampleSpec;
import org.datasandbox.sample.sampling.SparkValueTypes;

/**
 * Where {@link SampleBenchmark#maskedSample}'s time goes (a diagnostic main, not a benchmark): the same session and
 * million rows, the masked path and variants of it written one after another in rounds, with jobs, stages, each
 * stage's wall time, task time and shuffle bytes counted by a {@link SparkListener} (the Spark UI is off), and the
 * masked plan's {@code EXPLAIN FORMATTED}. Run: {@code java -cp ... org.datasandbox.sample.SampleStageProfile [rounds [variant regex]]}.
 */
public final class SampleStageProfile {
    private static final byte[] KEY = "benchmark-pseudonym-key-32-bytes".getBytes(StandardCharsets.US_ASCII);

    private SampleStageProfile() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        java.util.regex.Pattern only = java.util.regex.Pattern.compile(args.length > 1 ? args[1] : ".*");
        SparkSession spark = SparkSession.builder().master("local[*]").appName("sample-profile")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
                .config("spark.sql.datetime.java8API.enabled", "true")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        Stages stages = new Stages();
        spark.sparkContext().addSparkListener(stages);
        Path work = Files.createTempDirectory("sample-profile");
        try {
            Path csv = work.resolve("residents.csv");
            Files.write(csv, HubeiDemoData.generate(SampleBenchmark.ROWS, 2026).residentsCsv());
            spark.read().option("header", "true").schema("person_id BIGINT, id_card STRING, name STRING, phone STRING, "
                            + "gender STRING, birth_date DATE, district STRING, address STRING, income DOUBLE, diagnosis STRING")
                    .csv(csv.toString()).repartition(spark.sparkContext().defaultParallelism())
                    .write().parquet(work.resolve("originals").toString());
            Files.delete(csv);
            Dataset<Row> originals = spark.read().parquet(work.resolve("originals").toString());
            MaskingPolicy masking = masking(originals);
            SampleSpec spec = new SampleSpec("person_id", 1.0, 1);
            Map<String, Function<Dataset<Row>, Dataset<Row>>> variants = new LinkedHashMap<>();
            variants.put("range() baseline", o -> SampleBenchmark.rangeRows(spark));
            variants.put("read and write, nothing else", o -> o);
            variants.put("mask, no reorder", o -> MaskedSampleGenerator.mask(o, masking));
            variants.put("masked sample (current path)", o -> MaskedSampleGenerator.sample(o, masking, spec));
            variants.put("mask, exchange by hash, no sort", o -> exchanged(MaskedSampleGenerator.mask(o, masking), false));
            variants.put("mask, sort per input split", o -> sortedInPlace(MaskedSampleGenerator.mask(o, masking)));
            variants.put("hash as expression, no order column", o -> expressionKey(MaskedSampleGenerator.mask(o, masking)));
            variants.put("exchange 64, sort each, coalesce 2", o -> fine(MaskedSampleGenerator.mask(o, masking), 64, 2));
            variants.put("exchange 256, sort each, coalesce 2", o -> fine(MaskedSampleGenerator.mask(o, masking), 256, 2));
            variants.put("hash raw, exchange, sort, mask after", o -> MaskedSampleGenerator.mask(exchanged(o, true), masking));
            variants.put("masked sample, dictionary everywhere", o -> MaskedSampleGenerator.sample(o, masking, spec));
            variants.put("masked sample, no dictionary at all", o -> MaskedSampleGenerator.sample(o, masking, spec));
            // how each variant is written: the generator's options unless a variant says otherwise
            Map<String, Map<String, String>> options = new LinkedHashMap<>();
            variants.keySet().forEach(name -> options.put(name, MaskedSampleGenerator.parquetOptions(masking)));
            options.put("range() baseline", Map.of());
            options.put("masked sample, dictionary everywhere", Map.of());
            options.put("masked sample, no dictionary at all", Map.of("parquet.enable.dictionary", "false"));
            variants.keySet().removeIf(name -> !only.matcher(name).find());
            System.out.println("EXPLAIN FORMATTED of the masked sample:");
            System.out.println(MaskedSampleGenerator.sample(originals, masking, spec).queryExecution().explainString(
                    org.apache.spark.sql.execution.FormattedMode$.MODULE$));
            Map<String, List<Double>> seconds = new LinkedHashMap<>();
            Map<String, List<Double>> cpu = new LinkedHashMap<>();
            Map<String, List<Double>> driver = new LinkedHashMap<>();
            Map<String, List<Double>> gc = new LinkedHashMap<>();
            for (int round = 0; round <= rounds; round++) {
                for (var variant : variants.entrySet()) {
                    Path out = work.resolve("out-" + round + "-" + seconds.size());
                    stages.reset();
                    long start = System.nanoTime();
                    variant.getValue().apply(originals).write().options(options.get(variant.getKey())).parquet(out.toString());
                    double s = (System.nanoTime() - start) / 1e9;
                    EncryptedParquet.deleteRecursively(out);
                    if (round == 0) {
                        continue; // warm-up
                    }
                    seconds.computeIfAbsent(variant.getKey(), k -> new ArrayList<>()).add(s);
                    cpu.computeIfAbsent(variant.getKey(), k -> new ArrayList<>()).add(stages.cpuSeconds());
                    driver.computeIfAbsent(variant.getKey(), k -> new ArrayList<>()).add(s - stages.stageSeconds());
                    gc.computeIfAbsent(variant.getKey(), k -> new ArrayList<>()).add(stages.gcSeconds());
                    System.out.printf(Locale.ROOT, "round %d %-34s %6.3f s, %s%n", round, variant.getKey(), s, stages.summary());
                }
            }
            double base = seconds.containsKey("range() baseline") ? median(seconds.get("range() baseline")) : 1;
            double baseCpu = cpu.containsKey("range() baseline") ? median(cpu.get("range() baseline")) : 1;
            for (var entry : seconds.entrySet()) {
                double taskCpu = median(cpu.get(entry.getKey()));
                System.out.printf(Locale.ROOT, "median %-38s %6.3f s  %.2fx of range(); task cpu %6.3f s  %.2fx; outside stages %6.3f s; "
                        + "task gc %6.3f s%n", entry.getKey(), median(entry.getValue()), base / median(entry.getValue()), taskCpu,
                        baseCpu / taskCpu, median(driver.get(entry.getKey())), median(gc.get(entry.getKey())));
            }
        } finally {
            spark.stop();
            EncryptedParquet.deleteRecursively(work);
        }
    }

    private static Dataset<Row> exchanged(Dataset<Row> rows, boolean sort) {
        Dataset<Row> hashed = rows.withColumn("__order", xxhash64(all(rows))).repartition(col("__order"));
        return (sort ? hashed.sortWithinPartitions("__order") : hashed).drop("__order");
    }

    private static Dataset<Row> expressionKey(Dataset<Row> rows) {
        return rows.repartition(xxhash64(all(rows))).sortWithinPartitions(xxhash64(all(rows)));
    }

    private static Dataset<Row> fine(Dataset<Row> rows, int partitions, int files) {
        return rows.withColumn("__order", xxhash64(all(rows))).repartition(partitions, col("__order"))
                .sortWithinPartitions("__order").coalesce(files).drop("__order");
    }

    private static Dataset<Row> sortedInPlace(Dataset<Row> rows) {
        return rows.withColumn("__order", xxhash64(all(rows))).sortWithinPartitions("__order").drop("__order");
    }

    private static Column[] all(Dataset<Row> rows) {
        Column[] all = new Column[rows.columns().length + 1];
        all[0] = lit(1L);
        for (int i = 0; i < rows.columns().length; i++) {
            all[i + 1] = col(rows.columns()[i]);
        }
        return all;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    static MaskingPolicy masking(Dataset<Row> originals) throws Exception {
        TablePolicy policy = new PolicyParser(CryptoProfile.of(CryptoProfile.Kind.SM))
                .parse(Files.readString(SampleBenchmark.examples().resolve("policies/residents.yaml"))).table().orElseThrow();
        MaskingPolicy.Builder builder = MaskingPolicy.builder(policy.table(), 1);
        for (var field : originals.schema().fields()) {
            Optional<ColumnPolicy> column = policy.column(field.name());
            column.ifPresent(c -> builder.column(new ColumnMasking(field.name(), SparkValueTypes.of(field.dataType()).orElseThrow(),
                    MaskingFunctions.create(c.mask(), KEY, KeyedPseudonym.Algorithm.SM3))));
        }
        return builder.build();
    }

    /** Jobs and stages of one write, as the listener saw them. */
    private static final class Stages extends SparkListener {
        private final List<String> completed = new ArrayList<>();
        private int jobs;
        private long cpuNanos;
        private long stageMillis;
        private long gcMillis;

        synchronized void reset() {
            completed.clear();
            jobs = 0;
            cpuNanos = 0;
            stageMillis = 0;
            gcMillis = 0;
        }

        /** Wall seconds inside stages (they run one after another here): the rest of a write is the driver's. */
        synchronized double stageSeconds() {
            return stageMillis / 1e3;
        }

        synchronized double gcSeconds() {
            return gcMillis / 1e3;
        }

        synchronized double cpuSeconds() {
            return cpuNanos / 1e9;
        }

        synchronized String summary() {
            return jobs + " job(s), stages: " + String.join("; ", completed);
        }

        @Override
        public synchronized void onJobStart(SparkListenerJobStart jobStart) {
            jobs++;
        }

        @Override
        public synchronized void onStageCompleted(SparkListenerStageCompleted event) {
            StageInfo info = event.stageInfo();
            long wall = (long) info.completionTime().get() - (long) info.submissionTime().get();
            var metrics = info.taskMetrics();
            cpuNanos += metrics.executorCpuTime();
            stageMillis += wall;
            gcMillis += metrics.jvmGCTime();
            completed.add(String.format(Locale.ROOT, "%d tasks %d ms (cpu %d ms, run %d ms, gc %d ms, shuffle write %.1f MB, read %.1f MB)",
                    info.numTasks(), wall, metrics.executorCpuTime() / 1_000_000, metrics.executorRunTime(), metrics.jvmGCTime(),
                    metrics.shuffleWriteMetrics().bytesWritten() / 1e6, metrics.shuffleReadMetrics().totalBytesRead() / 1e6));
        }
    }
}
