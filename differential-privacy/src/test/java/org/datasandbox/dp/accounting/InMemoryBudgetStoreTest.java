package org.datasandbox.dp.accounting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InMemoryBudgetStoreTest {
    static final BudgetKey KEY = new BudgetKey("income_study", "residents");
    static final LifetimeBudget CAP = new LifetimeBudget(1, 1e-6);
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void spend_withinTheCap_returnsAReceiptAndLowersWhatIsLeft() {
        assertSpendWithinCap(new InMemoryBudgetStore(CLOCK));
    }

    static void assertSpendWithinCap(BudgetStore store) {
        store.define(KEY, CAP);
        Receipt receipt = store.spend(KEY, Charge.query(PrivacyLoss.pure(0.25), "job-1"));
        assertThat(receipt.sequence()).isEqualTo(1);
        assertThat(receipt.after().spentEpsilon()).isEqualTo(0.25);
        assertThat(store.remaining(KEY).remainingEpsilon()).isCloseTo(0.75, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(store.receipts(KEY)).containsExactly(receipt);
    }

    @Test
    void spendAllOnce_oneAccountCannotPay_noAccountIsChargedAndTheRefusalNamesIt() {
        assertSpendAllOnceAllOrNone(new InMemoryBudgetStore(CLOCK));
    }

    static void assertSpendAllOnceAllOrNone(BudgetStore store) {
        BudgetKey visits = new BudgetKey("income_study", "visits");
        store.define(KEY, CAP);
        store.define(visits, new LifetimeBudget(0.5, 1e-6));
        List<Receipt> first = store.spendAllOnce(List.of(visits, KEY), Charge.query(PrivacyLoss.pure(0.4), "job-1"));
        assertThat(first).extracting(Receipt::key).containsExactly(visits, KEY);
        // paid once per reference: the same release again takes nothing
        assertThat(store.spendAllOnce(List.of(visits, KEY), Charge.query(PrivacyLoss.pure(0.4), "job-1"))).isEmpty();

        assertThatThrownBy(() -> store.spendAllOnce(List.of(KEY, visits), Charge.query(PrivacyLoss.pure(0.4), "job-2")))
                .isInstanceOf(BudgetException.class)
                .satisfies(e -> assertThat(((BudgetException) e).key()).contains(visits));
        assertThat(store.receipts(KEY)).hasSize(1);
        assertThat(store.receipts(visits)).hasSize(1);
    }

    @Test
    void spend_pastTheCap_isRefusedAndSpendsNothing() {
        assertOverspendRefused(new InMemoryBudgetStore(CLOCK));
    }

    static void assertOverspendRefused(BudgetStore store) {
        store.define(KEY, CAP);
        store.spend(KEY, Charge.query(PrivacyLoss.pure(0.9), "job-1"));
        assertThatThrownBy(() -> store.spend(KEY, Charge.syntheticFit(PrivacyLoss.pure(0.2), "fit-1")))
                .isInstanceOfSatisfying(BudgetException.class, e -> assertThat(e.reason()).isEqualTo(BudgetException.Reason.EXHAUSTED))
                .hasMessageStartingWith("privacy budget exhausted for income_study/residents: lifetime epsilon 1.00000")
                .hasMessageEndingWith("Nothing was spent");
        assertThat(store.receipts(KEY)).hasSize(1);
        assertThat(store.remaining(KEY).spentEpsilon()).isEqualTo(0.9);
    }

    @Test
    void spend_undefinedTable_isDeniedByDefault() {
        InMemoryBudgetStore store = new InMemoryBudgetStore(CLOCK);
        assertThatThrownBy(() -> store.spend(KEY, Charge.query(PrivacyLoss.pure(0.1), "job-1")))
                .isInstanceOfSatisfying(BudgetException.class, e -> assertThat(e.reason()).isEqualTo(BudgetException.Reason.UNDEFINED));
    }

    @Test
    void spend_manyThreadsAtOnce_neverExceedTheCapAndSpendAsMuchAsOneThreadWould() throws Exception {
        assertConcurrentSpends(new InMemoryBudgetStore(CLOCK), new InMemoryBudgetStore(CLOCK));
    }

    /**
     * The oracle is a sequential run: 16 threads racing to spend 0.01 each must get exactly as many
     * spends through as one thread alone, and the composition of all receipts must fit the cap.
     */
    static void assertConcurrentSpends(BudgetStore concurrent, BudgetStore sequential) throws Exception {
        Charge charge = Charge.query(PrivacyLoss.pure(0.01), "job");
        sequential.define(KEY, CAP);
        int alone = 0;
        try {
            while (true) {
                sequential.spend(KEY, charge);
                alone++;
            }
        } catch (BudgetException expected) {
            // the sequential count is the oracle
        }
        concurrent.define(KEY, CAP);
        int threads = 16;
        AtomicInteger granted = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    try {
                        while (true) {
                            concurrent.spend(KEY, charge);
                            granted.incrementAndGet();
                        }
                    } catch (BudgetException refused) {
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
        assertThat(alone).isGreaterThan(100); // zCDP lets more than 1 / 0.01 through
        assertThat(granted.get()).isEqualTo(alone);
        List<Receipt> receipts = concurrent.receipts(KEY);
        assertThat(receipts).hasSize(alone);
        Composition recomputed = Composition.EMPTY;
        for (Receipt receipt : receipts) {
            recomputed = recomputed.plus(receipt.charge().loss());
        }
        assertThat(recomputed.fits(CAP)).isTrue();
        assertThat(recomputed.plus(charge.loss()).fits(CAP)).isFalse();
        assertThat(receipts).extracting(Receipt::sequence).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void define_again_changesTheCapAndKeepsTheSpends() {
        InMemoryBudgetStore store = new InMemoryBudgetStore(CLOCK);
        store.define(KEY, CAP);
        store.spend(KEY, Charge.query(PrivacyLoss.pure(0.5), "job-1"));
        store.define(KEY, new LifetimeBudget(0.4, 1e-6));
        assertThat(store.remaining(KEY).remainingEpsilon()).isZero();
        assertThat(store.receipts(KEY)).hasSize(1);
    }

    @Test
    void charge_badReferenceOrNothingSpent_isRefused() {
        assertThatThrownBy(() -> Charge.query(PrivacyLoss.pure(0.1), "income = 52000")).hasMessageContaining("reference must be");
        assertThatThrownBy(() -> Charge.query(PrivacyLoss.NONE, "job")).hasMessageContaining("must spend something");
        assertThatThrownBy(() -> new BudgetKey("a/b", "t")).hasMessageContaining("scenario must be an identifier");
    }
}
