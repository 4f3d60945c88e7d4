package org.datasandbox.core.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.datasandbox.dp.accounting.BudgetException;
import org.datasandbox.dp.accounting.BudgetKey;
import org.datasandbox.dp.accounting.Charge;
import org.datasandbox.dp.accounting.Composition;
import org.datasandbox.dp.accounting.InMemoryBudgetStore;
import org.datasandbox.dp.accounting.LifetimeBudget;
import org.datasandbox.dp.accounting.PrivacyLoss;
import org.datasandbox.dp.accounting.Receipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileBudgetStoreTest {
    private static final BudgetKey KEY = new BudgetKey("income_study", "residents");
    private static final LifetimeBudget CAP = new LifetimeBudget(1, 1e-6);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void spend_thenRestart_theNewStoreSeesEveryCharge() throws Exception {
        FileBudgetStore store = FileBudgetStore.open(dir, CLOCK);
        store.define(KEY, CAP);
        store.spend(KEY, Charge.query(PrivacyLoss.pure(0.2), "job-1"));
        store.spend(KEY, Charge.syntheticFit(PrivacyLoss.gaussian(0.5, 1e-7, 0.01), "fit-1"));
        List<Receipt> before = store.receipts(KEY);

        FileBudgetStore reopened = FileBudgetStore.open(dir, CLOCK);
        assertThat(reopened.receipts(KEY)).isEqualTo(before);
        assertThat(reopened.remaining(KEY)).isEqualTo(store.remaining(KEY));
        assertThat(reopened.spend(KEY, Charge.query(PrivacyLoss.pure(0.1), "job-2")).sequence()).isEqualTo(3);
    }

    @Test
    void spendAllOnce_oneAccountCannotPay_noAccountIsChargedAndTheRefusalNamesIt() throws Exception {
        FileBudgetStore store = FileBudgetStore.open(dir, CLOCK);
        BudgetKey visits = new BudgetKey("income_study", "visits");
        store.define(KEY, CAP);
        store.define(visits, new LifetimeBudget(0.5, 1e-6));
        store.spendAllOnce(List.of(visits, KEY), Charge.query(PrivacyLoss.pure(0.4), "job-1"));
        assertThat(store.spendAllOnce(List.of(KEY, visits), Charge.query(PrivacyLoss.pure(0.4), "job-1"))).isEmpty();

        assertThatThrownBy(() -> store.spendAllOnce(List.of(KEY, visits), Charge.query(PrivacyLoss.pure(0.4), "job-2")))
                .isInstanceOf(BudgetException.class)
                .satisfies(e -> assertThat(((BudgetException) e).key()).contains(visits));
        FileBudgetStore restarted = FileBudgetStore.open(dir, CLOCK);
        assertThat(restarted.receipts(KEY)).hasSize(1);
        assertThat(restarted.receipts(visits)).hasSize(1);
    }

    @Test
    void spend_pastTheCap_isRefusedAndLeavesTheFileUnchanged() throws Exception {
        FileBudgetStore store = FileBudgetStore.open(dir, CLOCK);
        store.define(KEY, CAP);
        store.spend(KEY, Charge.query(PrivacyLoss.pure(0.9), "job-1"));
        byte[] before = Files.readAllBytes(dir.resolve("income_study/residents.json"));
        assertThatThrownBy(() -> store.spend(KEY, Charge.query(PrivacyLoss.pure(0.2), "job-2")))
                .isInstanceOfSatisfying(BudgetException.class, e -> assertThat(e.reason()).isEqualTo(BudgetException.Reason.EXHAUSTED));
        assertThat(Files.readAllBytes(dir.resolve("income_study/residents.json"))).isEqualTo(before);
    }

    @Test
    void spend_undefinedTable_isDeniedByDefault() throws Exception {
        FileBudgetStore store = FileBudgetStore.open(dir, CLOCK);
        assertThatThrownBy(() -> store.spend(KEY, Charge.query(PrivacyLoss.pure(0.1), "job-1")))
                .isInstanceOfSatisfying(BudgetException.class, e -> assertThat(e.reason()).isEqualTo(BudgetException.Reason.UNDEFINED));
    }

    @Test
    void spend_corruptFile_failsClosedWithoutNamingPaths() throws Exception {
        FileBudgetStore store = FileBudgetStore.open(dir, CLOCK);
        store.define(KEY, CAP);
        Files.writeString(dir.resolve("income_study/residents.json"), "{ not json");
        assertThatThrownBy(() -> store.spend(KEY, Charge.query(PrivacyLoss.pure(0.1), "job-1")))
                .isInstanceOfSatisfying(BudgetException.class, e -> assertThat(e.reason()).isEqualTo(BudgetException.Reason.STORAGE))
                .hasMessage("the privacy budget of income_study/residents could not be read or recorded; nothing was spent or released");
    }

    @Test
    void spend_leftoverTemporaryFileOfACrash_isIgnored() throws Exception {
        FileBudgetStore store = FileBudgetStore.open(dir, CLOCK);
        store.define(KEY, CAP);
        store.spend(KEY, Charge.query(PrivacyLoss.pure(0.3), "job-1"));
        Files.writeString(dir.resolve("income_study/residents.json.tmp"), "{ half written");
        FileBudgetStore reopened = FileBudgetStore.open(dir, CLOCK);
        assertThat(reopened.remaining(KEY).spentEpsilon()).isEqualTo(0.3);
        reopened.spend(KEY, Charge.query(PrivacyLoss.pure(0.3), "job-2"));
        assertThat(FileBudgetStore.open(dir, CLOCK).receipts(KEY)).hasSize(2);
    }

    /**
     * Two stores on one directory (two servers), 16 threads racing to spend 0.05 each: exactly as many
     * spends get through as one thread gets from an in-memory store (the oracle), and the receipts on
     * disk compose within the cap.
     */
    @Test
    void spend_manyThreadsOnTwoStores_neverExceedTheCap() throws Exception {
        Charge charge = Charge.query(PrivacyLoss.pure(0.05), "job");
        InMemoryBudgetStore oracle = new InMemoryBudgetStore(CLOCK);
        oracle.define(KEY, CAP);
        int alone = 0;
        try {
            while (true) {
                oracle.spend(KEY, charge);
                alone++;
            }
        } catch (BudgetException expected) {
            // counted
        }
        FileBudgetStore first = FileBudgetStore.open(dir, CLOCK);
        FileBudgetStore second = FileBudgetStore.open(dir, CLOCK);
        first.define(KEY, CAP);
        AtomicInteger granted = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < 16; t++) {
                FileBudgetStore store = t % 2 == 0 ? first : second;
                futures.add(pool.submit(() -> {
                    start.await();
                    try {
                        while (true) {
                            store.spend(KEY, charge);
                            granted.incrementAndGet();
                        }
                    } catch (BudgetException refused) {
                        assertThat(refused.reason()).isEqualTo(BudgetException.Reason.EXHAUSTED);
                        return null;
                    }
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(granted.get()).isEqualTo(alone).isGreaterThanOrEqualTo(20);
        List<Receipt> receipts = FileBudgetStore.open(dir, CLOCK).receipts(KEY);
        assertThat(receipts).hasSize(alone);
        Composition recomputed = Composition.EMPTY;
        for (Receipt receipt : receipts) {
            recomputed = recomputed.plus(receipt.charge().loss());
        }
        assertThat(recomputed.fits(CAP)).isTrue();
        assertThat(recomputed.plus(charge.loss()).fits(CAP)).isFalse();
    }

    @Test
    void define_again_keepsTheSpendsUnderTheNewCap() throws Exception {
        FileBudgetStore store = FileBudgetStore.open(dir, CLOCK);
        store.define(KEY, CAP);
        store.spend(KEY, Charge.query(PrivacyLoss.pure(0.5), "job-1"));
        store.define(KEY, new LifetimeBudget(2, 1e-6));
        assertThat(FileBudgetStore.open(dir, CLOCK).remaining(KEY).remainingEpsilon()).isCloseTo(1.5,
                org.assertj.core.data.Offset.offset(1e-9));
    }
}
