package org.datasandbox.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.datasandbox.core.TestSandbox;
import org.datasandbox.core.config.SandboxConfig;
import org.datasandbox.core.config.SparkSettings;
import org.junit.jupiter.api.Test;

/**
 * Spark allows one SparkContext per JVM: a second sandbox with the same Spark settings gets sessions of its
 * own over the running context; one with other settings is refused instead of silently running on a context
 * configured for another.
 */
class SparkEngineSharingTest {

    @Test
    void start_sameSparkSettings_getsItsOwnSessionsOnTheSameContext() {
        TestSandbox.get();
        SandboxConfig same = SandboxConfig.embedded(TestSandbox.dataDir());
        try (SparkEngine engine = SparkEngine.start(same)) {
            assertThat(engine.originals().sparkContext()).isSameAs(org.apache.spark.sql.SparkSession.active().sparkContext());
            engine.originals().range(3).createOrReplaceTempView("only_here");
            assertThat(engine.originals().catalog().tableExists("only_here")).isTrue();
            assertThat(engine.samples().catalog().tableExists("only_here")).isFalse();
            assertThat(org.apache.spark.sql.SparkSession.active().catalog().tableExists("only_here")).isFalse();
        }
    }

    @Test
    void start_otherSparkSettings_isRefusedWhileAContextRuns() {
        TestSandbox.get();
        SandboxConfig base = SandboxConfig.embedded(TestSandbox.dataDir());
        for (SandboxConfig other : new SandboxConfig[] {
                base.withSparkMaster("local[1]"),
                base.withSpark(SparkSettings.LOOPBACK.withDriver("127.0.0.1", "127.0.0.1", 0, 17_000)),
                base.withSpark(SparkSettings.LOOPBACK.withExtra(Map.of("spark.executor.memory", "2g")))}) {
            assertThatThrownBy(() -> SparkEngine.start(other)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("one SparkContext per JVM");
        }
    }

    @Test
    void start_cluster_secretFileValue_isNeverAPlainSetting() {
        TestSandbox.get();
        // the embedded default: no secret of ours in the configuration (Spark made its own, in memory)
        var conf = org.apache.spark.sql.SparkSession.active().sparkContext().getConf();
        assertThat(conf.contains("spark.authenticate.secret")).isFalse();
        assertThat(conf.get("spark.plugins")).contains("DriverKeyPlugin");
        assertThat(conf.get("spark.redaction.regex", "(?i)secret|password|token|access[.]?key"))
                .as("Spark's redaction (UI, event log, environment) covers the secret's setting")
                .matches(regex -> java.util.regex.Pattern.compile(regex).matcher("spark.authenticate.secret").find());
    }
}
