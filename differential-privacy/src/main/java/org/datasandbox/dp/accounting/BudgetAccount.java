package org.datasandbox.dp.accounting;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The state of one table's budget (cap, composition, receipts) and the one rule that changes it: a
 * charge is taken only if the composition after it still fits the cap; otherwise nothing changes. Both
 * stores keep their accounts as these values and differ only in where they put them.
 */
public record BudgetAccount(BudgetKey key, LifetimeBudget lifetime, Composition spent, List<Receipt> receipts) {
    public BudgetAccount {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(lifetime, "lifetime");
        Objects.requireNonNull(spent, "spent");
        receipts = List.copyOf(receipts);
    }

    public static BudgetAccount open(BudgetKey key, LifetimeBudget lifetime) {
        return new BudgetAccount(key, lifetime, Composition.EMPTY, List.of());
    }

    /** The same spends under a new cap (an admin decision; a lower cap than spent leaves nothing to spend). */
    public BudgetAccount withLifetime(LifetimeBudget value) {
        return new BudgetAccount(key, value, spent, receipts);
    }

    public BudgetStatus status() {
        return BudgetStatus.of(key, lifetime, spent);
    }

    /** The account after the charge, its receipt last; refuses, changing nothing, when the charge does not fit. */
    public BudgetAccount spend(Charge charge, Instant at) {
        Composition after = spent.plus(charge.loss());
        if (!after.fits(lifetime)) {
            throw BudgetException.exhausted(key, charge, status());
        }
        List<Receipt> all = new ArrayList<>(receipts);
        all.add(new Receipt(key, receipts.size() + 1L, charge, at, BudgetStatus.of(key, lifetime, after)));
        return new BudgetAccount(key, lifetime, after, all);
    }

    public Receipt lastReceipt() {
        return receipts.get(receipts.size() - 1);
    }
}
