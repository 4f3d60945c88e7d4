package org.datasandbox.dp.accounting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InMemoryAnswerCacheTest {

    @Test
    void releaseOnce_repeatedQuery_returnsTheFirstAnswerAndSpendsOnce() throws Exception {
        assertReleasedOnce(new InMemoryAnswerCache());
    }

    /** Many threads asking the same query: one release, one answer for all. */
    static void assertReleasedOnce(AnswerCache cache) throws Exception {
        AnswerKey key = AnswerKey.of("income_study", "SELECT count(*) FROM residents -- eps=0.1");
        AtomicInteger releases = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        java.util.Set<String> answers = java.util.concurrent.ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 8; i++) {
            pool.submit(() -> {
                start.await();
                answers.add(cache.releaseOnce(key, () -> "noisy-" + releases.incrementAndGet()));
                return null;
            });
        }
        start.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(releases.get()).isEqualTo(1);
        assertThat(answers).containsExactly("noisy-1");
        assertThat(cache.get(key)).contains("noisy-1");
        assertThat(cache.get(AnswerKey.of("income_study", "SELECT count(*) FROM residents -- eps=0.2"))).isEmpty();
    }

    @Test
    void releaseOnce_refusedRelease_storesNothing() {
        assertRefusedReleaseNotStored(new InMemoryAnswerCache());
    }

    static void assertRefusedReleaseNotStored(AnswerCache cache) {
        AnswerKey key = AnswerKey.of("s", "q");
        assertThatThrownBy(() -> cache.releaseOnce(key, () -> {
            throw new BudgetException(BudgetException.Reason.EXHAUSTED, "exhausted");
        })).isInstanceOf(BudgetException.class);
        assertThat(cache.get(key)).isEmpty();
        assertThat(cache.releaseOnce(key, () -> "later")).isEqualTo("later");
    }
}
