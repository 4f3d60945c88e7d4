package org.datasandbox.core.budget;

import java.util.Collection;
import java.util.LinkedHashMap;
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
    public synchronized List<Receipt> chargeOnce(String scenario, Collection<String> tables, PrivacyLoss loss,
                                                 Charge.Purpose purpose, String reference) {
        Map<BudgetKey, BudgetStatus> due = new LinkedHashMap<>();
        boolean released = true;
        for (String table : tables) {
            BudgetKey key = new BudgetKey(scenario, table);
            Optional<BudgetStatus> status = status(key);
            if (released && status.isEmpty()) {
                throw new SandboxException(ErrorCode.BUDGET_EXHAUSTED, "Scenario '" + scenario + "' has no privacy budget"
                        + " for table " + table + "; an admin must apply the scenario again", Map.of("scenario", scenario, "table", table));
            }
            released = false;
            if (status.isPresent() && store.receipts(key).stream().noneMatch(r -> r.charge().reference().equals(reference))) {
                if (!status.get().spent().plus(loss).fits(status.get().lifetime())) {
                    throw exhausted(key, reference);
                }
                due.put(key, status.get());
            }
        }
        // synchronized: no other charge of this sandbox can come between the checks and the spends
        return due.keySet().stream().map(key -> spend(key, new Charge(loss, purpose, reference))).toList();
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

    private Receipt spend(BudgetKey key, Charge charge) {
        Receipt receipt;
        try {
            receipt = store.spend(key, charge);
        } catch (BudgetException e) {
            throw exhausted(key, charge.reference());
        }
        ledger.append(Identity.system(), "budget.spent", key.table(), Map.of(
                "scenario", key.scenario(), "purpose", charge.purpose().name().toLowerCase(Locale.ROOT),
                "reference", charge.reference(),
                "epsilon", figure(charge.loss().epsilon()), "delta", figure(charge.loss().delta()),
                "rho", figure(charge.loss().rho()),
                "epsilonLeft", figure(receipt.after().remainingEpsilon())));
        return receipt;
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
