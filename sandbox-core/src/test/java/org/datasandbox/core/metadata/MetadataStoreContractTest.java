package org.datasandbox.core.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.datasandbox.core.catalog.DatasetColumn;
import org.datasandbox.core.catalog.DatasetDescriptor;
import org.datasandbox.core.policy.PolicyRecords;
import org.datasandbox.dp.accounting.BudgetException;
import org.datasandbox.dp.accounting.BudgetKey;
import org.datasandbox.dp.accounting.BudgetStore;
import org.datasandbox.dp.accounting.Charge;
import org.datasandbox.dp.accounting.Composition;
import org.datasandbox.dp.accounting.InMemoryBudgetStore;
import org.datasandbox.dp.accounting.LifetimeBudget;
import org.datasandbox.dp.accounting.PrivacyLoss;
import org.datasandbox.dp.accounting.Receipt;
import org.datasandbox.guard.catalog.ColumnType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every metadata store must do, run against each implementation (a subclass per store). {@link #open} opens
 * the same store again as a second instance: a restarted server for the files, a second server for the database.
 */
abstract class MetadataStoreContractTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T12:00:00Z"), ZoneOffset.UTC);
    private static final BudgetKey KEY = new BudgetKey("income_study", "residents");
    private static final LifetimeBudget CAP = new LifetimeBudget(1, 1e-6);

    private final List<MetadataStore> opened = new ArrayList<>();

    /** Opens (another instance of) the store under test; each test starts from an empty one. */
    abstract MetadataStore openStore() throws Exception;

    final MetadataStore open() throws Exception {
        MetadataStore store = openStore();
        opened.add(store);
        return store;
    }

    @AfterEach
    void closeStores() {
        opened.forEach(MetadataStore::close);
    }

    static DatasetDescriptor dataset(String name) {
        return new DatasetDescriptor(name, "test table", List.of(new DatasetColumn("person_id", ColumnType.BIGINT),
                new DatasetColumn("income", ColumnType.DOUBLE)), 3, "sm3:00", "Zhang Wei", "2026-11-29T12:00:00Z");
    }

    @Test
    void datasets_addedThenReopened_areReadBackEqual() throws Exception {
        open().datasets().add(dataset("residents"));
        open().datasets().add(dataset("visits"));

        MetadataStore reopened = open();
        assertThat(reopened.datasets().get("residents")).contains(dataset("residents"));
        assertThat(reopened.datasets().get("nobody")).isEmpty();
        assertThat(reopened.datasets().all()).containsExactlyInAnyOrder(dataset("residents"), dataset("visits"));
    }

    @Test
    void datasets_nameTaken_isRefusedAndTheFirstIsKept() throws Exception {
        MetadataStore store = open();
        store.datasets().add(dataset("residents"));
        DatasetDescriptor other = new DatasetDescriptor("residents", "another", List.of(), 0, "sm3:11", "Li Na",
                "2026-11-29T12:00:00Z");
        assertThatThrownBy(() -> store.datasets().add(other)).isInstanceOf(IllegalStateException.class);
        assertThat(open().datasets().get("residents")).contains(dataset("residents"));
    }

    @Test
    void policies_versionsTermsAndEnds_areNumberedAndKept() throws Exception {
        MetadataStore store = open();
        PolicyRecords policies = store.policies();
        assertThat(policies.append(PolicyRecords.Kind.TABLE, "residents", "v1", null)).isEqualTo(1);
        assertThat(policies.append(PolicyRecords.Kind.TABLE, "residents", "v2", null)).isEqualTo(2);
        assertThat(policies.append(PolicyRecords.Kind.SCENARIO, "study", "s1", LocalDate.of(2029, 1, 1))).isEqualTo(1);
        policies.term("study", 1, LocalDate.of(2027, 6, 30));
        policies.end("study", LocalDate.of(2027, 6, 30));

        PolicyRecords reopened = open().policies();
        assertThat(reopened.latest(PolicyRecords.Kind.TABLE)).containsExactly(
                new PolicyRecords.Stored("residents", 2, "v2", java.util.Optional.empty(), false));
        assertThat(reopened.latest(PolicyRecords.Kind.SCENARIO)).containsExactly(
                new PolicyRecords.Stored("study", 1, "s1", java.util.Optional.of(LocalDate.of(2027, 6, 30)), true));
    }

    @Test
    void jobIds_claimedAndJournaled_isNotFreeAgain() throws Exception {
        MetadataStore store = open();
        assertThat(store.jobIds().claim("job-000000000001")).isTrue();
        journaled("job-000000000001");
        assertThat(store.jobIds().claim("job-000000000001")).isFalse();
        assertThat(store.jobIds().claim("job-000000000002")).isTrue();
    }

    /** What the job manager does after a claim: the file store's claims are its journal. */
    void journaled(String jobId) throws Exception {
    }

    @Test
    void budgets_spendThenReopen_theNewStoreSeesEveryCharge() throws Exception {
        BudgetStore store = open().budgets();
        store.define(KEY, CAP);
        store.spend(KEY, Charge.query(PrivacyLoss.pure(0.2), "job-1"));
        store.spend(KEY, Charge.syntheticFit(PrivacyLoss.gaussian(0.5, 1e-7, 0.01), "fit-1"));
        List<Receipt> before = store.receipts(KEY);

        BudgetStore reopened = open().budgets();
        assertThat(reopened.receipts(KEY)).isEqualTo(before);
        assertThat(reopened.remaining(KEY)).isEqualTo(store.remaining(KEY));
        assertThat(reopened.spend(KEY, Charge.query(PrivacyLoss.pure(0.1), "job-2")).sequence()).isEqualTo(3);
    }

    @Test
    void budgets_undefinedOrPastTheCap_areRefusedAndChargeNothing() throws Exception {
        BudgetStore store = open().budgets();
        assertThatThrownBy(() -> store.spend(KEY, Charge.query(PrivacyLoss.pure(0.1), "job-1")))
                .isInstanceOfSatisfying(BudgetException.class, e -> assertThat(e.reason()).isEqualTo(BudgetException.Reason.UNDEFINED));
        store.define(KEY, CAP);
        store.spend(KEY, Charge.query(PrivacyLoss.pure(0.8), "job-1"));
        assertThatThrownBy(() -> store.spend(KEY, Charge.query(PrivacyLoss.pure(0.3), "job-2")))
                .isInstanceOfSatisfying(BudgetException.class, e -> assertThat(e.reason()).isEqualTo(BudgetException.Reason.EXHAUSTED));
        assertThat(open().budgets().receipts(KEY)).hasSize(1);
    }

    @Test
    void budgets_spendAllOnce_allOrNoneAndOncePerReference() throws Exception {
        BudgetStore store = open().budgets();
        BudgetKey visits = new BudgetKey("income_study", "visits");
        store.define(KEY, CAP);
        store.define(visits, new LifetimeBudget(0.5, 1e-6));
        assertThat(store.spendAllOnce(List.of(visits, KEY), Charge.query(PrivacyLoss.pure(0.4), "job-1"))).hasSize(2);
        assertThat(store.spendAllOnce(List.of(KEY, visits), Charge.query(PrivacyLoss.pure(0.4), "job-1"))).isEmpty();

        assertThatThrownBy(() -> store.spendAllOnce(List.of(KEY, visits), Charge.query(PrivacyLoss.pure(0.2), "job-2")))
                .isInstanceOfSatisfying(BudgetException.class, e -> assertThat(e.key()).contains(visits));
        BudgetStore reopened = open().budgets();
        assertThat(reopened.receipts(KEY)).hasSize(1);
        assertThat(reopened.receipts(visits)).hasSize(1);
    }

    @Test
    void budgets_defineAgain_keepsTheSpendsUnderTheNewCap() throws Exception {
        BudgetStore store = open().budgets();
        store.define(KEY, CAP);
        store.spend(KEY, Charge.query(PrivacyLoss.pure(0.5), "job-1"));
        store.define(KEY, new LifetimeBudget(2, 1e-6));
        assertThat(open().budgets().remaining(KEY).remainingEpsilon()).isCloseTo(1.5,
                org.assertj.core.data.Offset.offset(1e-9));
    }

    /**
     * Two instances (two servers), 16 threads racing to spend 0.05 each, half of them through multi-account
     * charges: exactly as many spends get through as one thread gets from an in-memory store (the oracle, which
     * knows nothing of locks or databases), and the receipts stored compose within the cap.
     */
    @Test
    void budgets_manyThreadsOnTwoInstances_neverExceedTheCap() throws Exception {
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
        BudgetStore first = open().budgets();
        BudgetStore second = open().budgets();
        BudgetKey other = new BudgetKey("income_study", "visits");
        first.define(KEY, CAP);
        first.define(other, new LifetimeBudget(50, 1e-6));
        AtomicInteger granted = new AtomicInteger();
        AtomicInteger references = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < 16; t++) {
                BudgetStore store = t % 2 == 0 ? first : second;
                boolean both = t % 4 < 2;
                futures.add(pool.submit(() -> {
                    start.await();
                    try {
                        while (true) {
                            if (both) {
                                Charge once = Charge.query(PrivacyLoss.pure(0.05), "job-" + references.incrementAndGet());
                                store.spendAllOnce(List.of(KEY, other), once);
                            } else {
                                store.spend(KEY, charge);
                            }
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
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(granted.get()).isEqualTo(alone).isGreaterThanOrEqualTo(20);
        List<Receipt> receipts = open().budgets().receipts(KEY);
        assertThat(receipts).hasSize(alone);
        Composition recomputed = Composition.EMPTY;
        for (Receipt receipt : receipts) {
            recomputed = recomputed.plus(receipt.charge().loss());
        }
        assertThat(recomputed.fits(CAP)).isTrue();
        assertThat(recomputed.plus(charge.loss()).fits(CAP)).isFalse();
    }
}
