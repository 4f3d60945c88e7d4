package org.datasandbox.core.budget;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.datasandbox.dp.accounting.BudgetAccount;
import org.datasandbox.dp.accounting.BudgetKey;
import org.datasandbox.dp.accounting.BudgetStatus;
import org.datasandbox.dp.accounting.Charge;
import org.datasandbox.dp.accounting.Composition;
import org.datasandbox.dp.accounting.LifetimeBudget;
import org.datasandbox.dp.accounting.PrivacyLoss;
import org.datasandbox.dp.accounting.Receipt;

/**
 * The JSON form of one table's account: the cap and every charge in order. Totals are not stored but
 * recomputed from the charges on load, so that the file cannot hold a total that disagrees with them
 * (the status after each receipt is recomputed too, under the current cap). Loading replays every
 * charge, so a spend costs time linear in the table's charges: fine for thousands, a snapshot of the
 * totals would be the next step beyond. The PostgreSQL metadata store replays its rows through the same form.
 */
public record AccountFile(int version, String scenario, String table, double epsilon, double delta, List<ChargeLine> charges) {

    /** One charge as written. */
    public record ChargeLine(long sequence, String at, String purpose, String reference, double epsilon, double delta, double rho,
            double zcdpDelta) {
    }

    public static AccountFile of(BudgetAccount account) {
        List<ChargeLine> lines = new ArrayList<>();
        for (Receipt receipt : account.receipts()) {
            PrivacyLoss loss = receipt.charge().loss();
            lines.add(new ChargeLine(receipt.sequence(), receipt.at().toString(), receipt.charge().purpose().name(),
                    receipt.charge().reference(), loss.epsilon(), loss.delta(), loss.rho(), loss.zcdpDelta()));
        }
        return new AccountFile(1, account.key().scenario(), account.key().table(), account.lifetime().epsilon(),
                account.lifetime().delta(), lines);
    }

    public BudgetAccount toAccount() {
        if (version != 1) {
            throw new IllegalStateException("unknown budget file version " + version);
        }
        BudgetKey key = new BudgetKey(scenario, table);
        LifetimeBudget lifetime = new LifetimeBudget(epsilon, delta);
        Composition spent = Composition.EMPTY;
        List<Receipt> receipts = new ArrayList<>();
        for (ChargeLine line : charges) {
            if (line.sequence() != receipts.size() + 1L) {
                throw new IllegalStateException("budget file of " + key + " has a gap in its charge sequence");
            }
            PrivacyLoss loss = new PrivacyLoss(line.epsilon(), line.delta(), line.rho(), line.zcdpDelta());
            spent = spent.plus(loss);
            Charge charge = new Charge(loss, Charge.Purpose.valueOf(line.purpose()), line.reference());
            receipts.add(new Receipt(key, line.sequence(), charge, Instant.parse(line.at()), BudgetStatus.of(key, lifetime, spent)));
        }
        return new BudgetAccount(key, lifetime, spent, receipts);
    }
}
