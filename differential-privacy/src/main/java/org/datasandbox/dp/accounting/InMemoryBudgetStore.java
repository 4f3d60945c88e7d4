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
    public Receipt spend(BudgetKey key, Charge charge) {
        Objects.requireNonNull(charge, "charge");
        // compute() runs the check and the update under the key's lock: concurrent spends are serialized
        BudgetAccount after = accounts.compute(key, (k, account) -> {
            if (account == null) {
                throw BudgetException.undefined(k);
            }
            return account.spend(charge, clock.instant());
        });
        return after.lastReceipt();
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
