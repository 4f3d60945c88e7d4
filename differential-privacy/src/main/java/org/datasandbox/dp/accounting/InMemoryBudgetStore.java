package org.datasandbox.dp.accounting;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** A budget store in memory, for one process's life: tests, and embedded runs that keep no state. */
public final class InMemoryBudgetStore implements BudgetStore {
    private final Map<BudgetKey, BudgetAccount> accounts = new ConcurrentHashMap<>();
    private final Clock clock;

    public InMemoryBudgetStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void define(BudgetKey key, LifetimeBudget lifetime) {
        Objects.requireNonNull(lifetime, "lifetime");
        accounts.compute(key, (k, account) -> account == null ? BudgetAccount.open(k, lifetime) : account.withLifetime(lifetime));
    }

    @Override
    public synchronized Receipt spend(BudgetKey key, Charge charge) {
        Objects.requireNonNull(charge, "charge");
        BudgetAccount after = account(key).spend(charge, clock.instant());
        accounts.put(key, after);
        return after.lastReceipt();
    }

    /** Synchronized with {@link #spend}: nothing comes between the checks of all accounts and their spends. */
    @Override
    public synchronized List<Receipt> spendAllOnce(List<BudgetKey> keys, Charge charge) {
        Objects.requireNonNull(charge, "charge");
        Map<BudgetKey, BudgetAccount> after = new java.util.LinkedHashMap<>();
        for (BudgetKey key : keys) {
            BudgetAccount account = account(key);
            if (!after.containsKey(key) && account.receipts().stream()
                    .noneMatch(r -> r.charge().reference().equals(charge.reference()))) {
                after.put(key, account.spend(charge, clock.instant()));
            }
        }
        accounts.putAll(after);
        return after.values().stream().map(BudgetAccount::lastReceipt).toList();
    }

    @Override
    public BudgetStatus remaining(BudgetKey key) {
        return account(key).status();
    }

    @Override
    public List<Receipt> receipts(BudgetKey key) {
        return account(key).receipts();
    }

    private BudgetAccount account(BudgetKey key) {
        BudgetAccount account = accounts.get(Objects.requireNonNull(key, "key"));
        if (account == null) {
            throw BudgetException.undefined(key);
        }
        return account;
    }
}
