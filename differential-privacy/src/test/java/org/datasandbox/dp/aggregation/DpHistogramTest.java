package org.datasandbox.dp.aggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Map;
import org.datasandbox.dp.testing.ZeroNoise;
import org.datasandbox.dp.noise.RandomSource;
import org.junit.jupiter.api.Test;

class DpHistogramTest {

    @Test
    void result_dataDomain_dropsKeysBelowTheThreshold() {
        DpHistogram<String> histogram = DpHistogram.<String>builder().epsilon(BigDecimal.ONE).noise(ZeroNoise::none).build();
        histogram.add("common", 500).add("rare", 2);
        assertThat(histogram.result()).containsOnlyKeys("common");
        assertThat(PartitionSelection.threshold(1.0, 1, 1e-6)).isEqualTo(15); // 1 + ln(500000) = 14.12
    }

    @Test
    void result_publicKeyInADataDomain_isKeptEvenWhenRare() {
        DpHistogram<String> histogram = DpHistogram.<String>builder().epsilon(BigDecimal.ONE).noise(ZeroNoise::none).build();
        histogram.add("common", 500).add("rare", 2).addPublic("<null>", 1);
        assertThat(histogram.result()).isEqualTo(Map.of("common", 500L, "<null>", 1L));
    }

    @Test
    void result_publicDomain_keepsEveryKeyClampedAtZero() {
        DpHistogram<Integer> histogram = DpHistogram.<Integer>builder().epsilon(BigDecimal.ONE)
                .domain(DpHistogram.Domain.PUBLIC).noise(v -> v - 5).build();
        histogram.add(1, 2).add(2, 100);
        assertThat(histogram.result()).isEqualTo(Map.of(1, 0L, 2, 95L));
    }

    @Test
    void result_calledTwice_isRefused() {
        DpHistogram<String> histogram = DpHistogram.<String>builder().epsilon(BigDecimal.ONE)
                .random(RandomSource.seeded(1)).build();
        histogram.add("a", 100).result();
        assertThatThrownBy(histogram::result).isInstanceOf(IllegalStateException.class).hasMessageContaining("once");
        assertThatThrownBy(() -> histogram.add("b", 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void result_withNoise_staysNearTheTrueCount() {
        DpHistogram<String> histogram = DpHistogram.<String>builder().epsilon(new BigDecimal("2"))
                .random(RandomSource.seeded(9)).build();
        assertThat(histogram.add("a", 1000).result().get("a")).isBetween(980L, 1020L);
    }
}
