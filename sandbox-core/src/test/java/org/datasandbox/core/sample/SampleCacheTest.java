package org.datasandbox.core.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.base.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.datasandbox.core.config.SandboxConfig;
import org.junit.jupiter.api.Test;

class SampleCacheTest {
    /** A hand-written clock the test moves. */
    private static final class FakeTicker extends Ticker {
        private final AtomicLong nanos = new AtomicLong();

        @Override
        public long read() {
            return nanos.get();
        }

        void advance(Duration by) {
            nanos.addAndGet(by.toNanos());
        }
    }

    private static final SandboxConfig.Limits LIMITS = SandboxConfig.Limits.DEFAULT.withSampleCache(3, Duration.ofMinutes(10));

    @Test
    void put_beyondTheConfiguredEntries_dropsTheLeastRecentlyUsed() {
        SampleCache<String, Integer> cache = new SampleCache<>(LIMITS, new FakeTicker());
        for (int i = 0; i < 50; i++) {
            cache.put("scenario-" + i, i);
            assertThat(cache.size()).isLessThanOrEqualTo(3);
        }
        cache.get("scenario-47"); // used again: the oldest unused goes first
        cache.put("scenario-50", 50);

        assertThat(cache.get("scenario-47")).contains(47);
        assertThat(cache.get("scenario-48")).isEmpty();
        assertThat(cache.get("scenario-49")).contains(49);
        assertThat(cache.get("scenario-50")).contains(50);
    }

    @Test
    void get_afterTheIdlePeriod_isEmptyButUseKeepsAnEntry() {
        FakeTicker ticker = new FakeTicker();
        SampleCache<String, Integer> cache = new SampleCache<>(LIMITS, ticker);
        cache.put("used", 1);
        cache.put("idle", 2);
        for (int minute = 0; minute < 30; minute += 5) {
            ticker.advance(Duration.ofMinutes(5));
            assertThat(cache.get("used")).contains(1);
        }

        assertThat(cache.get("idle")).isEmpty();
        assertThat(cache.size()).isEqualTo(1);
        ticker.advance(Duration.ofMinutes(11));
        assertThat(cache.size()).isZero();
    }

    @Test
    void defaults_boundEveryCache() {
        assertThat(SandboxConfig.Limits.DEFAULT.maxCachedSamples()).isEqualTo(256);
        assertThat(SandboxConfig.Limits.DEFAULT.sampleCacheIdle()).isEqualTo(Duration.ofHours(6));
    }
}
