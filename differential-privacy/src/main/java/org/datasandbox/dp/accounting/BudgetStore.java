package org.datasandbox.dp.accounting;

import java.util.List;

/**
 * The persistent lifetime budget of every scenario's tables, shared by DP queries and synthetic-sample
 * fits. The contract:
 * <ul>
 *   <li>{@link #spend} is atomic and comes BEFORE the release: it either records the whole charge
 *   durably and returns a receipt, or throws and records nothing. Concurrent spends on one table are
 *   serialized, so that together they never exceed the cap.</li>
 *   <li>A table without a lifetime budget refuses every spend (deny by default).</li>
 *   <li>Nothing in a store is a data value: keys are identifiers, charges are figures and references.</li>
 * </ul>
 * Usage: {@code store.define(key, lifetime)} when the scenario is approved, then for each release
 * {@code Receipt r = store.spend(key, Charge.query(noise.loss(), jobId));} before the noisy value leaves.
 */
public interface BudgetStore {

    /** Sets (or changes) the lifetime cap of a table; spends so far are kept. */
    void define(BudgetKey key, LifetimeBudget lifetime);

    /** Takes the charge, or throws {@link BudgetException} and takes nothing. */
    Receipt spend(BudgetKey key, Charge charge);

    /**
     * Takes the charge on every account of {@code keys}, all or none, skipping each account that already holds a
     * receipt of the charge's reference (a release is paid once): every account is checked to pay before any is
     * spent, and no other spend on any of them comes between the checks and the spends, in this process or
     * another. Throws {@link BudgetException} (undefined or exhausted, naming the account) and takes nothing.
     *
     * @return the receipts taken now, in the order of {@code keys}
     */
    List<Receipt> spendAllOnce(List<BudgetKey> keys, Charge charge);

    /** The remaining-budget view (spent and left); throws {@link BudgetException} (undefined) for a table without a budget. */
    BudgetStatus remaining(BudgetKey key);

    /** Every receipt of a table, oldest first. */
    List<Receipt> receipts(BudgetKey key);
}
