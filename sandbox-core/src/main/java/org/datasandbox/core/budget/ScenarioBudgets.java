package org.datasandbox.core.budget;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.datasandbox.core.ErrorCode;
import org.datasandbox.core.SandboxException;
import org.datasandbox.core.identity.Identity;
import org.datasandbox.core.ledger.EvidenceLedger;
import org.datasandbox.core.policy.ScenarioPolicy;
import org.datasandbox.dp.accounting.BudgetException;
import org.datasandbox.dp.accounting.BudgetKey;
import org.datasandbox.dp.accounting.BudgetStatus;
import org.datasandbox.dp.accounting.BudgetStore;
import org.datasandbox.dp.accounting.Charge;
import org.datasandbox.dp.accounting.PrivacyLoss;
import org.datasandbox.dp.accounting.Receipt;

/**
 * The scenarios' lifetime budgets over the budget store: every table a scenario grants has one account,
 * capped by the scenario's {@code budget}. A release that reads the people of several linked tables is
 * charged to the account of each of them that the scenario has, so that every account holds everything
 * released about its people. A charge is taken once per reference: the same model served again is free,
 * since it releases nothing new. Every spend is recorded in the ledger, as figures and references only.
 */
public final class ScenarioBudgets {
    private final BudgetStore store;
    private final EvidenceLedger ledger;

    public ScenarioBudgets(BudgetStore store, EvidenceLedger ledger) {
        this.store = Objects.requireNonNull(store, "store");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
    }

    /** Opens an account for every table the scenario grants, or moves its cap; spends so far are kept. */
    public void define(ScenarioPolicy scenario) {
        for (String table : scenario.grants().keySet()) {
            store.define(new BudgetKey(scenario.id(), table), scenario.budget());
        }
    }

    /**
     * Charges the release named by {@code reference} to the scenario's account of each table, all or none:
     * first every account is checked to hold it, then each is spent. The released table (the first) must
     * have an account (deny by default); linked tables the scenario has no account for are skipped (it
     * cannot query them). Throws {@code BUDGET_EXHAUSTED} when an account is missing or cannot pay.
     *
     * @return the receipts taken now (empty when every account had paid this reference before)
     */
    public List<Receipt> chargeOnce(String scenario, Collection<String> tables, PrivacyLoss loss,
                                    Charge.Purpose purpose, String reference) {
        List<BudgetKey> due = new ArrayList<>();
        boolean released = true;
        for (String table : tables) {
            BudgetKey key = new BudgetKey(scenario, table);
            Optional<BudgetStatus> status = status(key);
            if (released && status.isEmpty()) {
                throw new SandboxException(ErrorCode.BUDGET_EXHAUSTED, "Scenario '" + scenario + "' has no privacy budget"
                        + " for table " + table + "; an admin must apply the scenario again", Map.of("scenario", scenario, "table", table));
            }
            released = false;
            if (status.isPresent()) {
                due.add(key);
            }
        }
        // the store checks every account and spends them all under all their locks (across processes too)
        List<Receipt> receipts;
        try {
            receipts = store.spendAllOnce(due, new Charge(loss, purpose, reference));
        } catch (BudgetException e) {
            if (e.reason() == BudgetException.Reason.STORAGE) {
                throw new SandboxException(ErrorCode.INTERNAL, "The privacy budget could not be recorded; nothing was "
                        + "spent or released");
            }
            throw exhausted(e.key().orElse(due.get(0)), reference);
        }
        receipts.forEach(this::record);
        return receipts;
    }

    /** The remaining-budget view of one account, if the scenario grants the table. */
    public Optional<BudgetStatus> status(BudgetKey key) {
        try {
            return Optional.of(store.remaining(key));
        } catch (BudgetException e) {
            if (e.reason() == BudgetException.Reason.UNDEFINED) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private void record(Receipt receipt) {
        BudgetKey key = receipt.key();
        Charge charge = receipt.charge();
        ledger.append(Identity.system(), "budget.spent", key.table(), Map.of(
                "scenario", key.scenario(), "purpose", charge.purpose().name().toLowerCase(Locale.ROOT),
                "reference", charge.reference(),
                "epsilon", figure(charge.loss().epsilon()), "delta", figure(charge.loss().delta()),
                "rho", figure(charge.loss().rho()),
                "epsilonLeft", figure(receipt.after().remainingEpsilon())));
    }

    private static SandboxException exhausted(BudgetKey key, String reference) {
        return new SandboxException(ErrorCode.BUDGET_EXHAUSTED, "The privacy budget of scenario '" + key.scenario()
                + "' for table " + key.table() + " cannot pay for " + reference
                + "; an admin may raise the scenario's budget, or the release must wait for a new scenario",
                Map.of("scenario", key.scenario(), "table", key.table()));
    }

    private static String figure(double value) {
        return String.format(Locale.ROOT, "%.6g", value);
    }
}
