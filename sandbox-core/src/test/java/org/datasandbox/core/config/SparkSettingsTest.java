package org.datasandbox.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SparkSettingsTest {

    @Test
    void embedded_default_isLoopbackWithRandomPortsAndNothingExtra() {
        SparkSettings spark = SandboxConfig.embedded(Path.of("data")).spark();
        assertThat(spark).isEqualTo(SparkSettings.LOOPBACK);
        assertThat(spark.driverHost()).isEqualTo("127.0.0.1");
        assertThat(spark.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(spark.driverPort()).isZero();
        assertThat(spark.blockManagerPort()).isZero();
        assertThat(spark.secretFile()).isEmpty();
        assertThat(spark.extra()).isEmpty();
    }

    @Test
    void withMethods_changeOnlyTheirPart() {
        SparkSettings spark = SparkSettings.LOOPBACK.withDriver("driver.example", "0.0.0.0", 7078, 7079)
                .withExtra(Map.of("spark.executor.memory", "4g")).withSecretFile(Path.of("/etc/sandbox/spark.secret"));
        assertThat(spark).isEqualTo(new SparkSettings("driver.example", "0.0.0.0", 7078, 7079,
                java.util.Optional.of(Path.of("/etc/sandbox/spark.secret")), Map.of("spark.executor.memory", "4g")));
        SandboxConfig config = SandboxConfig.embedded(Path.of("data")).withSpark(spark).withSampleRows(10);
        assertThat(config.spark()).isEqualTo(spark);
    }

    @Test
    void extra_settingTheSandboxEnforces_isRefused() {
        for (String key : SparkSettings.PROTECTED) {
            assertThatThrownBy(() -> SparkSettings.LOOPBACK.withExtra(Map.of(key, "false")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("the sandbox sets " + key + " itself");
        }
        assertThat(SparkSettings.PROTECTED).contains("spark.authenticate", "spark.network.crypto.enabled",
                "spark.io.encryption.enabled", "spark.ui.enabled", "spark.sql.ansi.enabled", "spark.authenticate.secret");
    }

    @Test
    void extra_notASparkSetting_isRefused() {
        assertThatThrownBy(() -> SparkSettings.LOOPBACK.withExtra(Map.of("parquet.crypto.factory.class", "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must start with spark.");
    }

    @Test
    void driver_badHostOrPort_isRefused() {
        assertThatThrownBy(() -> SparkSettings.LOOPBACK.withDriver("", "127.0.0.1", 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("driverHost");
        assertThatThrownBy(() -> SparkSettings.LOOPBACK.withDriver("a b", "127.0.0.1", 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("driverHost");
        assertThatThrownBy(() -> SparkSettings.LOOPBACK.withDriver("h", "127.0.0.1", 70_000, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("driverPort");
        assertThatThrownBy(() -> SparkSettings.LOOPBACK.withDriver("h", "127.0.0.1", 0, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blockManagerPort");
    }
}
