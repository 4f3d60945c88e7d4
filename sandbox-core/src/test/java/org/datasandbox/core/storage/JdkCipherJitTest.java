package org.datasandbox.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.spark.sql.SparkSession;
import org.datasandbox.core.TestSandbox;
import org.junit.jupiter.api.Test;

/**
 * Every JVM that decrypts Parquet runs with {@link JdkCipherJit#FLAGS}: the launchers' one flag list (the server,
 * Surefire, the benchmarks) and a cluster's executors. Without them Parquet's page decryption runs GHASH in
 * interpreted Java (see {@code ThresholdAggregateBenchmark}).
 */
class JdkCipherJitTest {

    @Test
    void launcherFlagList_includesCipherJitFlags() throws Exception {
        try (InputStream in = JdkCipherJit.class.getResourceAsStream("/org/datasandbox/core/engine/spark-jvm.opens")) {
            assertThat(in).as("the build writes spark.jvm.opens to the classpath").isNotNull();
            String flags = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(Arrays.asList(flags.strip().split("\\s+")))
                    .containsSubsequence(Arrays.asList(JdkCipherJit.FLAGS.split(" ")));
        }
    }

    @Test
    void testJvm_runsWithCipherJitFlags() {
        assertThat(ManagementFactory.getRuntimeMXBean().getInputArguments())
                .containsSubsequence(Arrays.asList(JdkCipherJit.FLAGS.split(" ")));
    }

    @Test
    void sparkEngine_executorJavaOptions_includeCipherJitFlags() {
        TestSandbox.get(); // starts the shared Spark session through SparkEngine
        String options = SparkSession.active().sparkContext().getConf().get("spark.executor.defaultJavaOptions", "");
        assertThat(options).contains(JdkCipherJit.FLAGS);
    }
}
