package org.datasandbox.core.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.datasandbox.dp.accounting.AnswerKey;
import org.datasandbox.dp.accounting.BudgetException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileAnswerCacheTest {
    private static final AnswerKey KEY = AnswerKey.of("income_study", "SELECT district, sum(income) ... eps=0.1");

    @TempDir
    Path dir;

    @Test
    void releaseOnce_manyThreadsAndARestart_releaseOnceAndReturnTheSameAnswer() throws Exception {
        FileAnswerCache cache = FileAnswerCache.open(dir);
        AtomicInteger releases = new AtomicInteger();
        Set<String> answers = ConcurrentHashMap.newKeySet();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int i = 0; i < 8; i++) {
            pool.submit(() -> {
                start.await();
                answers.add(cache.releaseOnce(KEY, () -> "{\"value\":" + (1000 + releases.incrementAndGet()) + "}"));
                return null;
            });
        }
        start.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(releases.get()).isEqualTo(1);
        assertThat(answers).containsExactly("{\"value\":1001}");
        FileAnswerCache reopened = FileAnswerCache.open(dir);
        assertThat(reopened.releaseOnce(KEY, () -> "second")).isEqualTo("{\"value\":1001}");
    }

    @Test
    void releaseOnce_refusedRelease_storesNothing() throws Exception {
        FileAnswerCache cache = FileAnswerCache.open(dir);
        assertThatThrownBy(() -> cache.releaseOnce(KEY, () -> {
            throw new BudgetException(BudgetException.Reason.EXHAUSTED, "exhausted");
        })).isInstanceOf(BudgetException.class);
        assertThat(cache.get(KEY)).isEmpty();
    }

    @Test
    void file_keepsNoQueryText() throws Exception {
        FileAnswerCache cache = FileAnswerCache.open(dir);
        cache.releaseOnce(KEY, () -> "42");
        try (var files = Files.walk(dir)) {
            assertThat(files.map(Path::toString)).noneMatch(name -> name.contains("SELECT"))
                    .anyMatch(name -> name.endsWith(KEY.digest() + ".answer"));
        }
    }
}
